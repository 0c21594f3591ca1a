"""Run a service operation in its own transaction: the page-facing `api` modules are built from these two."""

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from db.engine import read_session, write_session

P = ParamSpec("P")
R = TypeVar("R")


def reading(engine: Engine, operation: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`operation(session, …)` in one read transaction."""
    with read_session(engine) as session:
        return operation(session, *args, **kwargs)


def writing(engine: Engine, operation: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`operation(session, …)` in one write transaction: all of it is saved, or none of it.

    A write on behalf of a signed-in actor (an Actor among the arguments) first checks, in the same transaction,
    that the sign-in still holds: a disabled account or an ended session writes nothing.
    """
    from services.access.actor import Actor  # access builds on this module's callers, not the other way round
    from services.access.login_sessions import require_live

    with write_session(engine) as session:
        for actor in (a for a in args if isinstance(a, Actor)):
            require_live(session, actor)
        return operation(session, *args, **kwargs)
