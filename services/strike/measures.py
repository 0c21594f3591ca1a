"""What 打击挽损 counts and in which period: 破案, 抓获, 阻截 and the ledger's 止付/冻结/返还 (one definition for every
page)."""

from sqlalchemy import and_, or_

from db.models import FraudCase, Interception, RecoveryRequest, StrikeResult
from services.shared.timeutil import Period
from vocabulary import InterceptionOutcome

# 破案: a case counts on the Beijing day it was solved, whatever day it was reported.
SOLVED_ON = FraudCase.solved_on
# 抓获: the people caught in the strike results of the period's days.
CAUGHT_ON = StrikeResult.result_date
CAUGHT = StrikeResult.caught
# 止付/冻结/返还: each request's amounts to date fall in the period its 止付 request was made in.
LEDGER_AT = RecoveryRequest.requested_at
STOPPED = RecoveryRequest.stopped_fen
FROZEN = RecoveryRequest.frozen_fen
RETURNED = RecoveryRequest.returned_fen
# 阻截: a bank-counter interception counts (with its amount) unless it is recorded as 未能阻截.
INTERCEPTION_COUNTED = or_(Interception.outcome.is_(None), Interception.outcome != InterceptionOutcome.FAILED.value)


def counts_as_intercepted(outcome: str | None) -> bool:
    """Whether an interception of this outcome counts as 阻截 (the Python side of INTERCEPTION_COUNTED)."""
    return outcome != InterceptionOutcome.FAILED.value


def solved_in(period: Period):
    """SQL: the case was solved on one of the period's Beijing days."""
    return and_(SOLVED_ON >= period.first_day, SOLVED_ON <= period.last_day)


def caught_in(period: Period):
    """SQL: the strike result is of one of the period's Beijing days."""
    return and_(CAUGHT_ON >= period.first_day, CAUGHT_ON <= period.last_day)


def requested_in(period: Period):
    """SQL: the ledger request was made within the period."""
    return and_(LEDGER_AT >= period.start, LEDGER_AT < period.end)
