def parse_duration(text):
    """Seconds in a duration such as "1h30m" (units h, m, s)."""
    raise NotImplementedError
