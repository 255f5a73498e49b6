def parse_bool(text):
    return bool(text)
