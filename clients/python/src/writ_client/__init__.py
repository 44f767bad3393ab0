"""Python client of writ serve, with guards for the OpenAI Agents SDK and LangGraph.

The core (`WritClient`, `Decision`, errors, `gate`) uses only the standard
library; `writ_client.openai_agents` and `writ_client.langgraph` import their
frameworks when imported themselves.
"""

from .client import WritClient
from .decision import ROUTES, Decision
from .errors import WritError, WritProtocolError, WritUnavailable
from .gate import Verdict

__all__ = [
    "ROUTES",
    "Decision",
    "Verdict",
    "WritClient",
    "WritError",
    "WritProtocolError",
    "WritUnavailable",
]
