"""`fixed_join_order()`: PostgreSQL keeps the written join order inside the block, only there."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from motcua.lib.planner import fixed_join_order


def setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('join_collapse_limit')")
        return str(cursor.fetchone()[0])


def statements(block: object) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        block()  # type: ignore[operator]
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_inside_a_transaction_the_previous_value_comes_back() -> None:
    if connection.vendor != "postgresql":

        def block() -> None:
            with fixed_join_order():
                pass

        assert statements(block) == []  # no planner to hint
        return
    before = setting()
    assert before != "1"
    with fixed_join_order():
        assert setting() == "1"
    assert setting() == before


@pytest.mark.django_db(transaction=True)
def test_on_its_own_the_block_is_a_transaction_and_the_setting_ends_with_it() -> None:
    if connection.vendor != "postgresql":
        with fixed_join_order():
            assert not connection.in_atomic_block
        return
    before = setting()
    with fixed_join_order():
        assert connection.in_atomic_block
        assert setting() == "1"
    assert not connection.in_atomic_block
    assert setting() == before
    # An error inside: the transaction rolls back, and the setting with it.
    with pytest.raises(ZeroDivisionError), fixed_join_order():
        1 / 0  # noqa: B018
    assert setting() == before
    with transaction.atomic():
        assert setting() == before
