"""Every endpoint answers every role, and every kind of missing or bad token, as the table says."""

from __future__ import annotations

import pytest

from hegui.api import create_app
from tests.api.conftest import ROLES, Api
from tests.api.matrix import ROWS, Row
from tests.api.routes import operations

FORGED = "hg1.eyJleHAiOjQxMDI0NDQ4MDAsImdlbiI6MCwic3ViIjoxfQ.AAAA"
BAD_CREDENTIALS = {
    "none": None,
    "malformed": "Bearer not-a-token",
    "forged": f"Bearer {FORGED}",
    "wrong scheme": "Basic cm9vdDpwdy0xMjM0NTY=",
    "empty": "Bearer ",
}


def _ids(row: Row) -> str:
    return row.name


@pytest.mark.parametrize("row", ROWS, ids=_ids)
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_its_status(api: Api, row: Row, role: str) -> None:
    response = api.client.request(**row.request(api.seed), headers=api.auth(role))
    assert response.status_code == row.expect[role], response.text
    if response.status_code >= 400:
        assert "detail" in response.json()


@pytest.mark.parametrize("row", ROWS, ids=_ids)
@pytest.mark.parametrize("credentials", list(BAD_CREDENTIALS))
def test_without_a_valid_token(api: Api, row: Row, credentials: str) -> None:
    header = BAD_CREDENTIALS[credentials]
    headers = {"Authorization": header} if header is not None else {}
    response = api.client.request(**row.request(api.seed), headers=headers)
    assert response.status_code == row.anonymous, response.text
    if row.anonymous == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert "detail" in response.json()


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_expired_token(api: Api, row: Row) -> None:
    headers = {"Authorization": f"Bearer {api.expired_token()}"}
    response = api.client.request(**row.request(api.seed), headers=headers)
    assert response.status_code == row.anonymous, response.text
    if row.anonymous == 401:
        assert "过期 token expired" in response.json()["detail"]


def test_every_route_has_a_row(api: Api) -> None:
    declared = {operation.name for operation in operations(create_app(api.platform))}
    assert declared == {row.name for row in ROWS}
