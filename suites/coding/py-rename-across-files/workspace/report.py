import pricing


def line(order):
    return f"{order['id']}: {pricing.calc_total(order['items']):.2f}"
