"""The expert desk as pages use it: each call is one transaction of its own."""

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.desk import identifier_store
from services.desk.calls import (
    CallDraft,
    CallRow,
    Counters,
    SubmitResult,
    find_saved,
    submit_call,
    today_calls,
    today_counters,
    validate,
)
from services.desk.identifier_store import HotLead, SeenBefore
from services.shared.unit_of_work import reading


def save(engine: Engine, actor: Actor, draft: CallDraft) -> SubmitResult:
    """Check a call as typed and save it exactly once (refusals by field as InvalidInput)."""
    return submit_call(engine, actor, validate(draft))


def saved(engine: Engine, idempotency_key: str) -> SubmitResult | None:
    """The call already saved under a form's key, if any."""
    return find_saved(engine, idempotency_key)


def seen_before(engine: Engine, actor: Actor, identifiers: list[tuple[str, str]]) -> list[SeenBefore]:
    """What the desk already knows of each (kind, value) entered on the form."""
    def _seen(session: Session) -> list[SeenBefore]:
        return [identifier_store.seen_before(session, actor, kind, value) for kind, value in identifiers]
    return reading(engine, _seen)


def today(engine: Engine, actor: Actor) -> tuple[Counters, list[tuple[str, Counters]], list[CallRow]]:
    """Today's counters (desk total, per officer) and calls in the actor's scope."""
    def _today(session: Session) -> tuple[Counters, list[tuple[str, Counters]], list[CallRow]]:
        total, per_officer = today_counters(session, actor)
        return total, per_officer, today_calls(session, actor)
    return reading(engine, _today)


def search(engine: Engine, actor: Actor, query: str) -> list[SeenBefore]:
    """Every identifier matching a number or account as typed."""
    return reading(engine, identifier_store.search, actor, query)


def hot_leads(engine: Engine, actor: Actor) -> list[HotLead]:
    """Identifiers reported three times or more."""
    return reading(engine, identifier_store.hot_leads, actor)
