"""Punctuation of Chinese official writing, defined once for every stage that cuts text.

A sentence ends at 。！？ or at ；, which in circulars closes a duty as a full stop does; a
clause ends at a comma. Loaders (layout recovery), structure, segmentation, assignments and
obligations all cut at these and import them from here.
"""

from __future__ import annotations

import re

#: characters that end a sentence (a semicolon closes a duty like a full stop)
SENTENCE_ENDS = "。！？；;"
#: characters that end a clause inside a sentence
CLAUSE_BREAKS = "，,"
#: a sentence of text: what runs up to and including its end
SENTENCE = re.compile(f"[^{SENTENCE_ENDS}\\n]+[{SENTENCE_ENDS}]?")
#: the end of a sentence and the spaces after it
SENTENCE_CLOSE = re.compile(f"[{SENTENCE_ENDS}！][ \\u3000]*")
#: a dash that sets off a closing attribution (…氛围。——区司法局负责): two em dashes, or the
#: doubled hyphens and single long dashes that typesetting turns them into
DASH_CHARS = "—－-―"
ATTRIBUTION_DASH = re.compile(r"(?:—{1,2}|－{2}|-{2}|―{1,2})[ \u3000]*")
#: a lookahead that holds outside round brackets: separators inside a name's own bracket
#: (各县（市、区）交通运输局) do not split it
OUTSIDE_ROUND_BRACKETS = r"(?![^（()）]*[）)])"
#: the brackets that enclose assignment markup and asides: （）()【】〔〕［］[]〖〗, each opener at the
#: index of its closer
OPENING_BRACKETS = "（(【〔［[〖"
CLOSING_BRACKETS = "）)】〕］]〗"
#: a field that opens with its label, a short noun phrase and a colon (适用范围：…, 配合单位：…),
#: and holds a value after it
FIELD_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:](?=[ \u3000]*\S)")
#: a run of words up to a colon, with no clause or sentence break inside: the bodies before a
#: colon (市公安局、市交通运输局：负责…; 文艺辅导部：群众文化活动部)
LIST_BEFORE_COLON = re.compile(r"(?P<bodies>[^，,。；;：:！？\s]{2,60})[：:]")
#: symbols set before a line to mark it (▲落实部门：…, ■责任单位：…): no part of its words
LINE_SYMBOLS = "▲△▶►■□●○◆◇◎※•·"
