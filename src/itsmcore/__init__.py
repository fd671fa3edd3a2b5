"""itsmcore: the domain engine a service desk is built on.

Ticket lifecycles, impact x urgency priority matrices, business-hours calendars and SLA
clocks, change workflows and a CMDB with impact analysis; pure, typed and storage-agnostic.
Each capability lives in its own subpackage (``itsmcore.priority``, ``itsmcore.workflow``,
``itsmcore.incidents``, ``itsmcore.sla``, ``itsmcore.cmdb``, ...), whose ``__all__`` is its
public API.
"""

from __future__ import annotations

from itsmcore import _pickle as _pickle  # read-only mappings pickle (registered on import)
from itsmcore.errors import ItsmError

__all__ = ["ItsmError", "__version__"]

__version__ = "0.1.0"
