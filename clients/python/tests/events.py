"""`openai-agents` function calls whose routes hold on tests/deployment.json."""

from __future__ import annotations

import json
import uuid
from typing import Any

# Checked with `writ guard --runtime openai-agents --deployment tests/deployment.json`.
READ = ("read_file", {"path": "README.md"})  # allow
EMAIL = (  # require_approval: EXTERNAL_MESSAGE
    "send_email",
    {"to": "lee@brightmail.io", "subject": "Your order", "body": "It ships on Monday."},
)
SECRET = "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PASTE = ("create_paste", {"text": SECRET})  # block: EXFIL_SECRET


def call_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"


def function_call(name: str, arguments: dict[str, Any], cid: str | None = None) -> dict[str, Any]:
    """The Responses API function_call item writ's `openai-agents` runtime reads."""
    return {"type": "function_call", "call_id": cid or call_id(), "name": name,
            "arguments": json.dumps(arguments)}
