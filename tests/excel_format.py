"""How a spreadsheet shows a number under a cell's number format on a Danish machine (decimal comma, a dot
between thousands): enough of Excel's format language for the formats the report writes, so a test can
read a cell as the analyst sees it instead of comparing the format with the constant it was written from.
Sections split by ";", a condition such as [<0.001] on the first section, quoted text, and the digit
placeholders 0 and # with "," (thousands) and "." (decimals)."""

import operator
import re

_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)(-?\d+(?:\.\d+)?)\]")
_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq,
              "<>": operator.ne}
_PART = re.compile(r'"(?P<text>[^"]*)"|(?P<digits>[#0,]*0(?:\.0+)?)|(?P<other>.)')


def _sections(code: str) -> list[str]:
    return re.findall(r'(?:"[^"]*"|[^;"])+', code)


def _section(value: float, code: str) -> tuple[str, float]:
    """The section that shows `value`, and the value it shows (a second, negative section shows no sign)."""
    sections = _sections(code)
    condition = _CONDITION.match(sections[0])
    if condition:
        if _OPERATORS[condition.group(1)](value, float(condition.group(2))):
            return sections[0][condition.end():], value
        return (sections[1] if len(sections) > 1 else sections[0][condition.end():]), value
    if value < 0 and len(sections) > 1:
        return sections[1], -value
    return sections[0], value


def shown(value: float, code: str) -> str:
    """shown(20.94, '0.0" %"') -> '20,9 %'; shown(1234, "#,##0") -> '1.234'."""
    section, value = _section(value, code)
    out = []
    for part in _PART.finditer(section):
        if part.group("digits") is not None:
            digits = part.group("digits")
            whole, _, decimals = digits.partition(".")
            text = f"{value:{',' if ',' in whole else ''}.{len(decimals)}f}"
            out.append(text.replace(",", "\0").replace(".", ",").replace("\0", "."))
        else:
            out.append(part.group("text") if part.group("text") is not None else part.group("other"))
    return "".join(out)
