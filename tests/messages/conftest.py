from __future__ import annotations

import uuid
from typing import Any

from tests.practice.conftest import linked, routine_id
from tests.support import Api

__all__ = ["linked", "routine_id", "write"]  # the practice tests' fixtures, shared


def write(api: Api, path: str, body: str, **extra: Any) -> dict[str, Any]:
    response = api.post(path, {"id": str(uuid.uuid4()), "body": body, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
