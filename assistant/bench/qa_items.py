"""The spoken-QA bench's requests, each with what a right answer says.

`expect` is a regular expression the transcript of the spoken answer must match (case-insensitive;
numbers may come back as digits or words). Placeholders filled at scoring time from the clock of
the run: {hour} (12-hour clock, digits or words), {weekday}, {month}, {day}. Rules instead of a
pattern: "story" (≥ STORY_MIN_S of answer audio), "shorter" (the answer is shorter than the one
before), "stops" (the assistant falls silent after the request and says little).

Two-turn items (follow-ups, commands) speak `before` first; only the second answer is scored.
A `pause` item's request has a " | " where the speaker stops for PAUSES_S[i % 3] mid-sentence
(thinking of the word): a right answer needs the whole sentence, and any answer audio before the
sentence ends counts as cutting the user off.
Half of the items are `held`: no prompt, setting or training run is tuned on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.bench.voices import Half

STORY_MIN_S = 8.0  # s of speech a story request must get
STOP_MAX_S = 3.0  # s of speech a "stop" may still get after it ends (an "okay" is fine)
PAUSES_S = (0.5, 0.7, 0.9)  # s of silence inside a `pause` item's sentence
PAUSE_MARK = " | "


@dataclass(frozen=True)
class QaItem:
    id: str
    kind: str  # fact | arithmetic | time | units | definition | lookup | howto | story | explanation | followup |
    #   command | pause
    ask: str
    expect: str  # a regex, or a rule: "story" | "shorter" | "stops"
    half: Half
    before: str = ""  # the turn before (follow-ups and commands)


def _n(*alts: str) -> str:
    """A number said as digits or words: `_n("56", "fifty.six")` (`.` matches a space or hyphen)."""
    return r"\b(" + "|".join(alts) + r")\b"


_T: list[tuple[str, str, str]] = [
    # kind, ask, expect — the tuning half
    ("fact", "What is the capital of Japan?", r"tokyo"),
    ("fact", "How many legs does a spider have?", _n("8", "eight")),
    ("fact", "What is the tallest mountain in Africa?", r"kilimanjaro"),
    ("fact", "At what temperature does water boil in Celsius?", _n("100", "a hundred", "one hundred")),
    ("fact", "Who painted the Mona Lisa?", r"leonardo|vinci"),
    ("fact", "Which planet is known as the red planet?", r"mars"),
    ("fact", "How many continents are there?", _n("7", "seven")),
    ("fact", "What is the largest planet in our solar system?", r"jupiter"),
    ("fact", "What gas do plants take in from the air?", r"carbon dioxide|co2|c\.?o\.? ?2"),
    ("fact", "Who was the first person to walk on the moon?", r"armstrong"),
    ("fact", "How many days are there in a leap year?", _n("366", "three hundred (and )?sixty.six")),
    ("fact", "Which animal is known as the king of the jungle?", r"\blions?\b"),
    ("fact", "What is the largest hot desert in the world?", r"sahara"),
    ("arithmetic", "What is seven times eight?", _n("56", "fifty.six")),
    ("arithmetic", "What is twelve plus nineteen?", _n("31", "thirty.one")),
    ("arithmetic", "What is one hundred minus thirty seven?", _n("63", "sixty.three")),
    ("arithmetic", "What is nine times nine?", _n("81", "eighty.one")),
    ("arithmetic", "What is one hundred forty four divided by twelve?", _n("12", "twelve")),
    ("arithmetic", "What is fifteen percent of two hundred?", _n("30", "thirty")),
    ("arithmetic", "What is six squared?", _n("36", "thirty.six")),
    ("arithmetic", "What is twenty five plus forty eight?", _n("73", "seventy.three")),
    ("time", "What time is it?", "{hour}"),
    ("time", "What day of the week is it today?", "{weekday}"),
    ("time", "What is today's date?", "{month}"),
    ("units", "How many centimeters are in a meter?", _n("100", "a hundred", "one hundred")),
    ("units", "How many grams are in a kilogram?", _n("1,?000", "a thousand", "one thousand")),
    ("units", "How many minutes are in an hour?", _n("60", "sixty")),
    ("units", "How many miles is ten kilometers?", r"\b6(\.2)?\b|six"),
    ("definition", "What is photosynthesis?", r"light|sun|radiant"),
    ("definition", "What is a noun?", r"person|place|thing|name"),
    ("definition", "What does a thermometer measure?", r"temperature|heat|hot|cold"),
    ("howto", "How do I boil an egg?", r"water|boil"),
    ("howto", "How do I make a cup of tea?", r"water|boil|kettle|tea ?bag"),
    ("story", "Please tell me a long story about a lighthouse keeper.", "story"),
    ("story", "Tell me a bedtime story about a sleepy bear.", "story"),
    ("explanation", "Explain why the sky is blue.", r"light|scatter|sun|wavelength"),
    ("explanation", "Explain how rain forms.", r"vapou?r|cloud|condens|droplet|evaporat"),
    ("pause", "What is the capital of | Italy?", r"\brome\b"),
    ("pause", "How many legs does | a spider have?", _n("8", "eight")),
    ("pause", "Tell me the name of | the largest ocean.", r"pacific"),
    ("pause", "Who wrote | Romeo and Juliet?", r"shakespeare"),
]
_T_TWO: list[tuple[str, str, str, str]] = [
    # kind, before, ask, expect
    ("followup", "What is the capital of France?", "What famous tower is there?", r"eiffel"),
    ("followup", "What is five plus three?", "And what is that times two?", _n("16", "sixteen")),
    ("followup", "Who painted the Mona Lisa?", "In which museum is it?", r"louvre"),
    ("followup", "What is the capital of Japan?", "What language do people speak there?", r"japanese"),
    ("command", "What is the capital of Spain?", "Say that again, please.", r"madrid"),
    ("command", "Tell me about the moon.", "Shorter, please.", "shorter"),
    ("command", "Tell me a long story about a castle.", "Stop.", "stops"),
]
_H: list[tuple[str, str, str]] = [
    # the held-apart half
    ("fact", "What is the capital of Australia?", r"canberra"),
    ("fact", "How many legs does an insect have?", _n("6", "six")),
    ("fact", "What is the longest river in Africa?", r"\bnile\b"),
    ("fact", "Who wrote the play Hamlet?", r"shakespeare"),
    ("fact", "What is the freezing point of water in Fahrenheit?", _n("32", "thirty.two")),
    ("fact", "What is the largest mammal on Earth?", r"blue whale|whale"),
    ("fact", "How many moons does Mars have?", _n("2", "two")),
    ("fact", "In which country are the pyramids of Giza?", r"egypt"),
    ("fact", "What is the hardest natural substance?", r"diamond"),
    ("fact", "Which ocean is the largest?", r"pacific"),
    ("fact", "How many players does a soccer team have on the field?", _n("11", "eleven")),
    ("fact", "What is the capital of Canada?", r"ottawa"),
    ("fact", "What color do you get when you mix blue and yellow?", r"green"),
    ("arithmetic", "What is six times seven?", _n("42", "forty.two")),
    ("arithmetic", "What is twenty three plus forty nine?", _n("72", "seventy.two")),
    ("arithmetic", "What is two hundred minus eighty five?", _n("115", "one hundred (and )?fifteen")),
    ("arithmetic", "What is eighty one divided by nine?", _n("9", "nine")),
    ("arithmetic", "What is eleven times twelve?", _n("132", "one hundred (and )?thirty.two")),
    ("arithmetic", "What is half of ninety?", _n("45", "forty.five")),
    ("arithmetic", "What is three cubed?", _n("27", "twenty.seven")),
    ("arithmetic", "What is ten percent of three hundred fifty?", _n("35", "thirty.five")),
    ("time", "What's the time right now?", "{hour}"),
    ("time", "Which day is it today?", "{weekday}"),
    ("time", "What month is it?", "{month}"),
    ("units", "How many inches are in a foot?", _n("12", "twelve")),
    ("units", "How many seconds are in a minute?", _n("60", "sixty")),
    ("units", "How many meters are in a kilometer?", _n("1,?000", "a thousand", "one thousand")),
    ("units", "How many kilometers is five miles?", r"\b8(\.0\d?)?\b|eight"),
    ("definition", "What is gravity?", r"force|pull|attract"),
    ("definition", "What is a volcano?", r"lava|magma|erupt"),
    ("definition", "What does a dictionary contain?", r"word|definition|meaning"),
    ("howto", "How do I plant a tree?", r"hole|soil|dig|water"),
    ("howto", "How do I tie my shoes?", r"lace|loop|knot|bow"),
    ("story", "Tell me a story about a girl who finds a magic key.", "story"),
    ("story", "Could you tell me a story about a dog at the beach?", "story"),
    ("explanation", "Explain why leaves change color in autumn.", r"chlorophyll|green|light|sun|cold|pigment"),
    ("explanation", "Explain how a rainbow forms.", r"light|water|drop|refract|sun"),
    ("pause", "What is the capital of | Germany?", r"berlin"),
    ("pause", "How many days are there | in a week?", _n("7", "seven")),
    ("pause", "Which planet is | closest to the sun?", r"mercury"),
    ("pause", "What color do you get | when you mix red and white?", r"pink"),
]
_H_TWO: list[tuple[str, str, str, str]] = [
    ("followup", "What is the capital of England?", "What river flows through it?", r"thames"),
    ("followup", "What is ten minus four?", "And what is that plus five?", _n("11", "eleven")),
    ("followup", "Who was the first president of the United States?", "What was his first name?", r"george"),
    ("followup", "What is the largest country in South America?", "What language do they speak there?",
     r"portuguese"),
    ("command", "How far away is the moon?", "Could you repeat that?", r"384|238|thousand"),
    ("command", "Explain what a computer does.", "Make it shorter.", "shorter"),
    ("command", "Tell me a story about a clever fox.", "Okay, stop.", "stops"),
]


# Questions a packaged source answers exactly (assistant/tools/: the World Factbook's countries and its World
# profile, the periodic table, constants, WordNet's definitions). Written, both halves, before the tools for
# continents, oceans, rivers and constants were: the held half is never looked at while building them.
_T_LOOKUP: list[tuple[str, str]] = [
    ("What is the capital of Egypt?", r"cairo"),
    ("What currency is used in Mexico?", r"peso"),
    ("What language is spoken in Austria?", r"german"),
    ("What is the population of Spain?", r"\b(4[6-9]|forty.(six|seven|eight|nine))\b.{0,20}million"),
    ("Which countries border France?", r"belgium|spain|germany|switzerland|italy|luxembourg|andorra"),
    ("What is the highest point in Japan?", r"fuji"),
    ("How large is Germany?", r"\b357\b|three hundred (and )?fifty.seven thousand"),
    ("What is the capital of Peru?", r"\blima\b"),
    ("What is the longest river in Asia?", r"yangtze"),
    ("What is the tallest mountain in North America?", r"mckinley|denali"),
    ("What is the smallest continent?", r"australia|oceania"),
    ("What is the chemical symbol for iron?", r"\bfe\b|\bf\.? ?e\b"),
    ("What is the atomic number of carbon?", _n("6", "six")),
    ("Which is the biggest desert on Earth?", r"sahara|antarctic"),
    ("What is Avogadro's number?", r"\b6\.02|six point (zero|oh|o) two"),
    ("What is the world's longest river?", r"\bnile\b"),
    ("What does the word ancient mean?", r"\bold\b|past|long ago|age"),
    ("What is a peninsula?", r"\bland\b|water|sea"),
    ("What is the chemical symbol for potassium?", r"\bk\b|\bkay\b"),
    ("What is the acceleration due to gravity on Earth?", r"9\.8|nine point eight"),
    ("What is the population of China?", r"\b1\.4\d*\b.{0,10}billion|one point four.{0,12}billion"),
    ("What is the capital of Turkey?", r"ankara"),
    ("Which element has the atomic number one?", r"hydrogen"),
    ("How many oceans are there on Earth?", _n("5", "five")),
]
_H_LOOKUP: list[tuple[str, str]] = [
    ("What is the capital of Kenya?", r"nairobi"),
    ("What currency do they use in Japan?", r"\byen\b"),
    ("What language do people speak in Brazil?", r"portuguese"),
    ("How many people live in Germany?", r"\b(8[0-6]|eighty(.(one|two|three|four|five|six))?)\b.{0,20}million"),
    ("Which countries border Portugal?", r"spain"),
    ("What is the highest point in Switzerland?", r"dufour|monte rosa"),
    ("How big is Italy?", r"\b30[01]\b|three hundred (and )?one thousand|three hundred thousand"),
    ("What is the capital of Argentina?", r"buenos aires"),
    ("Which ocean is the smallest?", r"arctic"),
    ("What is the longest river in South America?", r"amazon"),
    ("What is the highest mountain in Europe?", r"el.?brus"),
    ("Which is the largest continent?", r"\basia\b"),
    ("What is the chemical symbol for silver?", r"\bag\b|\ba\.? ?g\b"),
    ("What is the atomic number of oxygen?", _n("8", "eight")),
    ("What is the largest lake in the world?", r"caspian"),
    ("What is the speed of light?", r"299|300,?000|three hundred thousand|186,?000|one hundred (and )?eighty.six thousand"),
    ("What is the largest island in the world?", r"greenland"),
    ("What does the word generous mean?", r"giv|share|willing|liberal|kind"),
    ("What is a glacier?", r"\bice\b"),
    ("What is the chemical symbol for sodium?", r"\bna\b|\bn\.? ?a\b"),
    ("What is the population of India?", r"\b1\.[34]\d*\b.{0,10}billion|one point (three|four).{0,12}billion"),
    ("What is the capital of Vietnam?", r"hanoi|ha noi"),
    ("Which element has the atomic number six?", r"carbon"),
    ("What is the deepest point in the ocean?", r"mariana|challenger"),
]

# Follow-ups after a looked-up answer (written, both halves, before any run of them): the second question
# refers back to the first answer ("there", "it", "the smallest?", "say that again").
_T_LOOKUP_TWO: list[tuple[str, str, str]] = [
    ("What is the capital of Egypt?", "And its population?", r"\b1[01]\d(\.\d+)? million|hundred.{0,30}million"),
    ("What is the capital of Peru?", "What currency do they use there?", r"\bsol(es)?\b"),
    ("What is the chemical symbol for iron?", "Could you repeat that?", r"\bfe\b|\bf\.? ?e\b"),
    ("What is the longest river in Asia?", "How long is it?", r"6,?300|six thousand three hundred"),
    ("What is the capital of Turkey?", "And which countries border it?",
     r"bulgaria|greece|georgia|iran|iraq|syria|armenia|azerbaijan"),
    ("How many oceans are there on Earth?", "Which one is the biggest?", r"pacific"),
]
_H_LOOKUP_TWO: list[tuple[str, str, str]] = [
    ("What is the capital of Kenya?", "And how many people live there?", r"\b5\d(\.\d+)? million|fifty.{0,15}million"),
    ("What is the capital of Argentina?", "What language do they speak there?", r"spanish"),
    ("What is the chemical symbol for silver?", "Say that again, please.", r"\bag\b|\ba\.? ?g\b"),
    ("What is the longest river in South America?", "And how long is that river?", r"6,?436|six thousand four hundred"),
    ("What is the capital of Vietnam?", "Which countries border it?", r"china|laos|cambodia"),
    ("Which is the largest continent?", "And the smallest?", r"australia|oceania"),
]


def items() -> list[QaItem]:
    out: list[QaItem] = []
    for half, one, two in (("tune", _T, _T_TWO), ("held", _H, _H_TWO)):
        for i, (kind, ask, expect) in enumerate(one):
            out.append(QaItem(f"{half}-{i:02d}", kind, ask, expect, half))  # type: ignore[arg-type]
        for i, (kind, before, ask, expect) in enumerate(two):
            out.append(QaItem(f"{half}-t{i}", kind, ask, expect, half, before))  # type: ignore[arg-type]
    for half, lookups in (("tune", _T_LOOKUP), ("held", _H_LOOKUP)):  # (after the rest: their voices stay)
        for i, (ask, expect) in enumerate(lookups):
            out.append(QaItem(f"{half}-k{i:02d}", "lookup", ask, expect, half))  # type: ignore[arg-type]
    for half, follow in (("tune", _T_LOOKUP_TWO), ("held", _H_LOOKUP_TWO)):
        for i, (before, ask, expect) in enumerate(follow):
            out.append(QaItem(f"{half}-f{i}", "followup", ask, expect, half, before))  # type: ignore[arg-type]
    return out


FACT_KINDS = ("fact", "arithmetic", "time", "units", "definition")  # the acceptance's "fact and arithmetic"
SOURCE_KINDS = ("lookup", "definition")  # facts a packaged source answers, and what words mean
