"""Service requests: catalog items, approval when the item needs it, fulfilment and closure.

Open one with :func:`open_request`; move it with ``request.apply("approve", ...)``. The
default workflow follows ServiceNow's requested items (closed complete / incomplete /
skipped) with an approval step in front.
"""

from __future__ import annotations

from itsmcore.requests.catalog import CatalogItem
from itsmcore.requests.request import (
    ApprovalStatus,
    ServiceRequest,
    approval_status,
    open_request,
    rollup_closure,
)
from itsmcore.requests.workflow import REQUEST_FIELDS, default_request_workflow, request_workflow

__all__ = [
    "REQUEST_FIELDS",
    "ApprovalStatus",
    "CatalogItem",
    "ServiceRequest",
    "approval_status",
    "default_request_workflow",
    "open_request",
    "request_workflow",
    "rollup_closure",
]
