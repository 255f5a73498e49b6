import pytest
from settings import parse_bool
@pytest.mark.parametrize("t", ["true", "YES", " on ", "1"])
def test_true(t):
    assert parse_bool(t) is True
@pytest.mark.parametrize("f", ["false", "No", "OFF", "0 "])
def test_false(f):
    assert parse_bool(f) is False
def test_bad():
    with pytest.raises(ValueError):
        parse_bool("maybe")
