"""Whom the words name: "Sam, when does your train leave?" is for Sam, "did you feed the dog, Jo?"
for Jo, "Duplex, what time is it?" for the assistant.

A rule over Whisper's punctuated transcript: a capitalised word set off by a comma at the start
or the end of the words is a name (a few kinship words count too, in any case), unless it is one
of the words that open or close a sentence without naming anyone ("Okay, …", "Sorry, …",
"…, please."). The monitor's judge turns it into a cue (assistant/core/judge.py): naming someone
else leans to `side`, naming the assistant leans to `query`. Missed when Whisper drops the comma
or mishears the name; a name that is also a common word at a sentence's start ("Will, …") is
taken as a name. In Mandarin, the conventional forms of address at the start: 小X / 老X, kinship
words (妈, 老公, …), how strangers are addressed (阿姨, 师傅, …), doubled-character names (丽丽，— even
misheard as 历历), and 小助手 for the assistant (another given name alone, "张伟，", is not recognised).
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.text import HAN_RANGE

Addressee = Literal["assistant", "other"]

ASSISTANT_NAMES = frozenset({"duplex"})
# people addressed by what they are to the speaker (lower case in a transcript)
KIN = frozenset({"mom", "mum", "mommy", "mummy", "dad", "daddy", "grandma", "grandpa", "granny", "honey", "darling",
                 "sweetie", "sweetheart", "babe", "baby", "love", "guys", "kids", "buddy", "mate", "bro", "son", "man", "dude"})
# words that open or close a sentence with a comma without naming anyone
NOT_NAMES = frozenset("""
okay ok sorry wait stop actually well yes yeah yep no nope please so hey hi hello listen look right alright
great thanks thank also first then next again anyway besides honestly seriously basically sure um uh hmm oh ah
fine cool wow today tonight tomorrow yesterday here there quick quickly finally otherwise however meanwhile perhaps
maybe hopefully unfortunately luckily sometimes usually normally now and but or because although though still
just hold hang excuse pardon sir madam everyone everybody folks lastly secondly firstly indeed of course hmm
""".split())

_LEAD = re.compile(r"^\W*(?:(?i:hey|hi|oh|okay|ok|so)\W+)?([A-Za-z][a-z']+)\s*,")
# Mandarin: a name or a kinship word set off by a comma at the start ("小王，…", "老李，…", "妈，…"), the
# assistant by what it is called ("小助手，…")
ZH_KIN = ("妈妈|爸爸|妈|爸|老公|老婆|亲爱的|宝贝|宝宝|儿子|女儿|哥哥|姐姐|哥|姐|弟弟|妹妹|爷爷|奶奶|姥姥|姥爷|师傅|老师|"
          # how strangers and colleagues are addressed (阿姨，… to a stall keeper; 大哥，… to a driver)
          "阿姨|叔叔|大爷|大妈|大姐|大哥|大叔|老板|同学|医生|大夫|经理|领导|服务员|小朋友|小伙子|美女|帅哥")
ZH_ASSISTANT = "小助手|助手|duplex|Duplex"
ZH_NOT_NAMES = frozenset({"小心", "老天", "小声", "老是", "小时"})  # words, not a form of address
# a doubled character is a child's or a friend's name (丽丽，/ 明明，), unless it is one of these words
ZH_NOT_DOUBLED = frozenset({"谢谢", "哈哈", "嗯嗯", "对对", "是是", "好好", "行行", "慢慢", "刚刚", "常常", "渐渐",
                            "天天", "偏偏", "往往", "快快", "呵呵", "嘿嘿", "哎哎", "啊啊", "等等", "看看", "试试"})
_ZH_LEAD = re.compile(rf"^\W*(?:({ZH_ASSISTANT})|(小[{HAN_RANGE}]|老[{HAN_RANGE}]|{ZH_KIN}|([{HAN_RANGE}])\3))\s*[，,\s]")
_TAIL = re.compile(r",\s*([A-Za-z][a-z']+)\W*$")
# the assistant's own name opening the words needs no comma (Whisper often drops it: "duplex when does
# my train leave"); it is no common word that could open a sentence
_ASSISTANT_LEAD = re.compile(rf"^\W*(?:(?i:hey|hi|oh|okay|ok)\W+)?(?:(?i:{'|'.join(ASSISTANT_NAMES)})\b|小助手)")


def addressee(text: str) -> Addressee | None:
    """Who the words say they are for, if they name someone; else None."""
    if _ASSISTANT_LEAD.search(text):
        return "assistant"
    zh = _ZH_LEAD.search(text)
    if zh is not None and zh.group(2) not in ZH_NOT_NAMES | ZH_NOT_DOUBLED:
        return "assistant" if zh.group(1) else "other"
    for m, lead in ((_LEAD.search(text), True), (_TAIL.search(text), False)):
        if m is None:
            continue
        word = m.group(1)
        low = word.lower()
        if low in ASSISTANT_NAMES:
            return "assistant"
        if low in NOT_NAMES:
            continue
        if low in KIN or (word[0].isupper() and (lead or len(word) > 1)):
            return "other"
    return None
