import pathlib
import pricing, cart, report
def test_renamed():
    assert pricing.order_total([(2.0, 3), (1.5, 2)]) == 9.0
    assert not hasattr(pricing, "calc_total")
def test_callers():
    assert cart.cart_total({"items": [(1.0, 2)]}) == 2.0
    assert report.line({"id": "A1", "items": [(2.5, 2)]}) == "A1: 5.00"
def test_no_old_name():
    for f in ["pricing.py", "cart.py", "report.py"]:
        assert "calc_total" not in pathlib.Path(f).read_text()
