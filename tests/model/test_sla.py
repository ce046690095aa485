import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from model.sla import BusinessHours, SlaPolicy

MAD = ZoneInfo("Europe/Madrid")


def at(*args):
    return dt.datetime(*args, tzinfo=MAD)


def test_open_hours_start_the_clock_at_once():
    sla = SlaPolicy()
    assert sla.due_at("high", at(2026, 3, 4, 12, 0)) == at(2026, 3, 4, 12, 30)  # a Wednesday


def test_outside_hours_move_the_clock_to_opening_but_not_for_critical():
    sla = SlaPolicy()
    night = at(2026, 3, 4, 23, 30)
    assert sla.due_at("normal", night) == at(2026, 3, 5, 9, 0)
    assert sla.due_at("critical", night) == at(2026, 3, 4, 23, 45)
    saturday_early = at(2026, 3, 7, 7, 0)  # weekend opens at 09:00
    assert sla.due_at("high", saturday_early) == at(2026, 3, 7, 9, 30)


def test_closed_days_are_skipped_and_utc_input_is_converted():
    hours = BusinessHours(timezone="America/Mexico_City", week={d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")})
    sla = SlaPolicy(hours=hours)
    friday_night_utc = dt.datetime(2026, 3, 7, 2, 0, tzinfo=dt.timezone.utc)  # Fri 20:00 in Mexico City
    due = sla.due_at("low", friday_night_utc)
    assert due.isoformat() == "2026-03-10T09:00:00-06:00"  # Monday 09:00 + 24 h


@pytest.mark.parametrize("kwargs, message", [
    ({"timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
    ({"week": {"lun": "09:00-18:00"}}, "unknown days"),
    ({"week": {"mon": "9-18"}}, "is not like '08:00-22:00'"),
    ({"week": {"mon": "18:00-09:00"}}, "closes before it opens"),
])
def test_bad_hours_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BusinessHours(**kwargs)


def test_sla_table_needs_every_label():
    with pytest.raises(ValueError, match="missing for \\['low'\\]"):
        SlaPolicy(minutes={"critical": 15, "high": 30, "normal": 60})
