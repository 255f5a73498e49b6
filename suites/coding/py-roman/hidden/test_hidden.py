import pytest
from roman import to_roman
def test_values():
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994, 3999)] == ["I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV", "MMMCMXCIX"]
@pytest.mark.parametrize("n", [0, 4000, -1])
def test_range(n):
    with pytest.raises(ValueError):
        to_roman(n)
