"""What the Mandarin bench says (assistant/bench/mandarin.py): requests with what a right answer says,
people talking to each other, and barge-ins. A `tune` and a `held` half each; nothing is tuned on the
held half, and none of these lines is in the monitor's training phrases.

Mandarin user voices: the only natural Mandarin TTS that installs here is one speaker (DataBaker's,
models/zh_tts.py, the assistant's own voice too); espeak-ng's `cmn` is not intelligible to Whisper
(0 of 3 lines). So the users are that speaker reshaped: speaking rate, intonation (FastSpeech2's f0
ratio) and a vocal-tract change (synthesised slower, then played faster or slower: pitch *and*
formants move, a smaller or larger speaker). The held half uses other shapes than the tune half.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np

Half = Literal["tune", "held"]


@dataclass(frozen=True)
class ZhItem:
    id: str
    half: Half
    kind: str  # "fact" (scored right or not) or "chat" / "story" (scored: answered in Mandarin)
    ask: str
    expect: str = ""  # regex a right answer's transcript matches (facts)


ITEMS: tuple[ZhItem, ...] = (
    ZhItem("zt01", "tune", "fact", "中国的首都是哪里？", "北京"),
    ZhItem("zt02", "tune", "fact", "一年有多少个月？", "12|十二"),
    ZhItem("zt03", "tune", "fact", "七乘以八等于多少？", "56|五十六"),
    ZhItem("zt04", "tune", "fact", "水在多少度会沸腾？", "100|一百"),
    ZhItem("zt05", "tune", "fact", "太阳从哪个方向升起？", "东"),
    ZhItem("zt06", "tune", "fact", "一个星期有几天？", "7|七"),
    ZhItem("zt07", "tune", "fact", "长城在哪个国家？", "中国"),
    ZhItem("zt08", "tune", "story", "给我讲一个关于小猫的睡前故事。"),
    ZhItem("zt09", "tune", "chat", "你好，请介绍一下你自己。"),
    ZhItem("zt10", "tune", "chat", "用一句话说说春天吧。"),
    ZhItem("zh01", "held", "fact", "日本的首都是哪个城市？", "东京"),
    ZhItem("zh02", "held", "fact", "一天有多少个小时？", "24|二十四"),
    ZhItem("zh03", "held", "fact", "九加六等于几？", "15|十五"),
    ZhItem("zh04", "held", "fact", "地球上最大的海洋是什么？", "太平洋"),
    ZhItem("zh05", "held", "fact", "大熊猫主要吃什么？", "竹"),
    ZhItem("zh06", "held", "fact", "一个小时有多少分钟？", "60|六十"),
    ZhItem("zh07", "held", "fact", "红楼梦的作者是谁？", "曹雪芹"),
    ZhItem("zh08", "held", "story", "请给我讲一个很短的童话故事。"),
    ZhItem("zh09", "held", "chat", "你能帮我想一个周末的计划吗？"),
    ZhItem("zh10", "held", "chat", "请推荐一本适合孩子读的书。"),
)

# People talking to each other near the idle assistant, by name, questions included.
DIALOGUES: dict[Half, tuple[tuple[str, ...], ...]] = {
    # (the first round's held half moved here on 2026-12-01: its misses had been looked at)
    "tune": (
        ("小王，你吃饭了吗？", "还没呢，你呢？", "我也没吃，一起去吧。"),
        ("妈，我的钥匙放哪儿了？", "在桌子上，你自己找找。", "找到了，谢谢。"),
        ("老李，明天几点开会？", "上午九点，别迟到。", "好的，我知道了。"),
        ("小张，你周末去哪儿玩了？", "去爬山了，累死了。", "下次叫上我。"),
        ("爸，晚饭吃什么？", "你想吃饺子吗？", "好啊，我来帮忙。"),
        ("丽丽，电影几点开始？", "七点半，我们早点出发吧。", "行，我去拿外套。"),
    ),
    "held": (  # written 2026-12-01 before any run of them
        ("小陈，你的快递到了吗？", "到了，在门卫那儿。", "那我下午去拿。"),
        ("老婆，孩子的作业写完了吗？", "还差一点，你去看看吧。", "好，我这就去。"),
        ("阿姨，这个菜多少钱一斤？", "三块五，要多少？", "给我来两斤吧。"),
    ),
}

# A long request, then a new question over its answer.
BARGE_INS: dict[Half, tuple[tuple[str, str, str], ...]] = {  # (request, barge-in, what its answer says)
    "tune": (
        ("给我讲一个长一点的故事，关于一只小狗。", "等一下，一年有几个季节？", "4|四"),
        ("请详细介绍一下北京的历史。", "停一下，上海在中国的哪里？", "东|海"),
        ("跟我说说怎么做西红柿炒鸡蛋。", "等等，一斤是多少克？", "500|五百"),
        ("请给我讲一个关于月亮的传说。", "等一下，三加四等于几？", "7|七"),
        ("介绍一下长江吧，越详细越好。", "停，中国最长的河是哪条？", "长江"),
        ("给我讲讲熊猫的生活习性。", "等等，熊猫是哪个国家的？", "中国"),
    ),
    "held": (  # written 2026-12-01 before any run of them
        ("给我讲一个关于大海的故事，长一点。", "等一下，一个月有几个星期？", "4|四"),
        ("请详细说说怎么养一盆兰花。", "停一下，一周有几天？", "7|七"),
        ("介绍一下故宫，越详细越好。", "等等，故宫在哪个城市？", "北京"),
    ),
}


@dataclass(frozen=True)
class ZhVoice:
    """The Baker voice reshaped: `speed` (> 1 faster), `f0` (intonation ratio) and `tract` (> 1: a smaller
    speaker — pitch and formants up — by synthesising `tract` times slower and playing it `tract` times faster)."""

    speed: float = 1.0
    f0: float = 1.0
    tract: float = 1.0

    @property
    def label(self) -> str:
        return f"baker@s{self.speed:g}/f{self.f0:g}/t{self.tract:g}"

    def say(self, text: str) -> np.ndarray:
        """16 kHz mono float32."""
        return _voice().shaped(text, self.speed, self.f0, self.tract)


@cache
def _voice():  # type: ignore[no-untyped-def]
    from models.zh_tts import BakerVoice

    return BakerVoice(quiet=True)


VOICES: dict[Half, tuple[ZhVoice, ...]] = {
    "tune": (ZhVoice(), ZhVoice(1.1, 1.15), ZhVoice(1.0, 1.0, 0.82)),
    "held": (ZhVoice(0.9, 0.9), ZhVoice(1.05, 1.05, 1.12), ZhVoice(1.05, 0.95, 0.75)),
}
