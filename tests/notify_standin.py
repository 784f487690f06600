"""A local stand-in for GOV.UK Notify's API, for tests: it checks what Heard sends.

It accepts only what Notify's documented API accepts (docs.notifications.service.gov.uk,
"API documentation: Python"): a POST to /v2/notifications/email or /v2/notifications/sms
with a JSON body of the documented fields (and GET /v2/notifications/<id> and
GET /v2/notifications?reference=..., "Get the status of one message" and "of multiple
messages"), and an ``Authorization: Bearer`` JSON Web Token
signed with HS256 by the API key's secret, whose ``iss`` is the service id and whose ``iat``
is within 30 seconds of now. It answers as Notify does: 201 with the notification, or the
documented error body (``{"status_code": ..., "errors": [{"error": ..., "message": ...}]}``).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jsonschema
import jwt
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

_UUID = {
    "type": "string",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
}
_PERSONALISATION = {
    "type": "object",
    "additionalProperties": {"type": ["string", "number", "array", "object"]},
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "/v2/notifications/email": {
        "type": "object",
        "properties": {
            "email_address": {"type": "string", "format": "email", "minLength": 3},
            "template_id": _UUID,
            "personalisation": _PERSONALISATION,
            "reference": {"type": "string", "maxLength": 1000},
            "email_reply_to_id": _UUID,
            "one_click_unsubscribe_url": {"type": "string"},
        },
        "required": ["email_address", "template_id"],
        "additionalProperties": False,
    },
    "/v2/notifications/sms": {
        "type": "object",
        "properties": {
            "phone_number": {"type": "string", "pattern": r"^\+?[0-9 ()-]{10,20}$"},
            "template_id": _UUID,
            "personalisation": _PERSONALISATION,
            "reference": {"type": "string", "maxLength": 1000},
            "sms_sender_id": _UUID,
        },
        "required": ["phone_number", "template_id"],
        "additionalProperties": False,
    },
}


class NotifyStandIn:
    def __init__(self) -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"heard_test-{self.service_id}-{self.secret}"
        self.email_template = str(uuid.uuid4())
        self.sms_template = str(uuid.uuid4())
        self.received: list[dict[str, Any]] = []
        # When each received request began (time.monotonic()), in the same order: a request
        # that timed out on Heard's side may still be received, after the delay.
        self.began: list[float] = []
        self.refused: list[str] = []  # why a request was refused as Notify would refuse it
        self.fail_with: int | None = None  # answer every request with this status
        self.refuse_for: set[str] = set()  # recipients answered 500, as Notify failing
        # Notifications by id, as GET returns them; their status may be set by a test.
        self.notifications: dict[str, dict[str, Any]] = {}
        self.status = "delivered"  # what a new notification's status becomes
        self.delay = 0.0
        self.base_url = ""

    def _error(self, status: int, error: str, message: str) -> Response:
        self.refused.append(message)
        body = {"status_code": status, "errors": [{"error": error, "message": message}]}
        return Response(json.dumps(body), status=status, content_type="application/json")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.answer(Request(environ))(environ, start_response)

    def answer(self, request: Request) -> Response:
        began = time.monotonic()
        if self.delay:
            time.sleep(self.delay)
        known = request.method == "POST" and request.path in SCHEMAS
        known = known or (request.method == "GET" and request.path.startswith("/v2/notifications"))
        if not known:
            return self._error(404, "NotFound", f"{request.method} {request.path} is not an API")
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return self._error(
                401, "AuthError", "Unauthorized: authentication token must be provided"
            )
        try:
            claims = jwt.decode(
                header.removeprefix("Bearer "),
                self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.PyJWTError as error:
            return self._error(403, "AuthError", f"Invalid token: {error}")
        if claims["iss"] != self.service_id:
            return self._error(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - int(claims["iat"])) > 30:
            return self._error(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )
        if request.method == "GET":
            return self._get(request)
        if request.mimetype != "application/json":
            return self._error(400, "BadRequestError", "Content-Type must be application/json")
        try:
            body = json.loads(request.get_data(as_text=True))
            jsonschema.validate(
                body, SCHEMAS[request.path], format_checker=jsonschema.FormatChecker()
            )
        except (ValueError, jsonschema.ValidationError) as error:
            return self._error(400, "ValidationError", str(getattr(error, "message", error)))
        expected = self.sms_template if request.path.endswith("sms") else self.email_template
        if body["template_id"] != expected:
            return self._error(400, "BadRequestError", "Template not found")
        recipient = body.get("email_address") or body.get("phone_number")
        if self.fail_with is not None or recipient in self.refuse_for:
            if self.fail_with is None or self.fail_with >= 500:
                return self._error(self.fail_with or 500, "Exception", "Internal server error")
            return self._error(
                self.fail_with,
                "BadRequestError",
                "Can't send to this recipient using a team-only API key",
            )
        notification_id = str(uuid.uuid4())
        self.received.append({"path": request.path, **body})
        self.began.append(began)
        content: dict[str, Any] = {"body": str(body.get("personalisation", {}).get("body", ""))}
        if request.path.endswith("email"):
            content |= {
                "subject": str(body["personalisation"].get("subject", "")),
                "from_email": "heard@notifications.service.gov.uk",
            }
        else:
            content |= {"from_number": "GOVUK"}
        reply = {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": body["template_id"],
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{body['template_id']}",
            },
        }
        self.notifications[notification_id] = {
            "id": notification_id,
            "reference": body.get("reference"),
            "email_address": body.get("email_address"),
            "phone_number": body.get("phone_number"),
            "type": "sms" if request.path.endswith("sms") else "email",
            "status": self.status,
            "template": reply["template"],
            "body": content["body"],
            "subject": content.get("subject"),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
        }
        return Response(json.dumps(reply), status=201, content_type="application/json")

    def _get(self, request: Request) -> Response:
        rest = request.path.removeprefix("/v2/notifications").strip("/")
        if rest:
            found = self.notifications.get(rest)
            if found is None:
                return self._error(404, "NoResultFound", "No result found")
            return Response(json.dumps(found), status=200, content_type="application/json")
        unknown = set(request.args) - {"template_type", "status", "reference", "older_than"}
        if unknown:
            return self._error(400, "ValidationError", f"Unknown filter {sorted(unknown)}")
        wanted = request.args.get("reference")
        listed = [n for n in self.notifications.values() if wanted in (None, n["reference"])]
        reply = {"notifications": listed, "links": {"current": f"{self.base_url}{request.path}"}}
        return Response(json.dumps(reply), status=200, content_type="application/json")


@contextmanager
def running() -> Iterator[NotifyStandIn]:
    standin = NotifyStandIn()
    server = make_server("127.0.0.1", 0, standin, threaded=True)
    standin.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        thread.join(timeout=5)
