import pytest
from duration import parse_duration
def test_units():
    assert parse_duration("45s") == 45
    assert parse_duration("2h") == 7200
    assert parse_duration("1h30m") == 5400
    assert parse_duration("1h2m3s") == 3723
@pytest.mark.parametrize("bad", ["", "5x", "h1", "1h30", "abc"])
def test_bad(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)
