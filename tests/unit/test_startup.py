"""Loading with the garbage collector off (dashboard/startup.py): it is back on afterwards,
even when loading fails, and what was loaded is frozen."""

from __future__ import annotations

import gc

import pytest

from dashboard.startup import loading


def test_the_collector_is_off_while_loading_and_back_on_after():
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with loading():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]  # long-lived objects made while loading
        with loading():  # nested (create_app inside the command's own loading)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outermost decides
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    gc.unfreeze()


def test_a_failed_load_turns_the_collector_back_on():
    with pytest.raises(RuntimeError), loading():
        raise RuntimeError("the route data cannot be used")
    assert gc.isenabled()
    gc.unfreeze()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with loading():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
