"""Words for the monitor's training data: what people say to the assistant and to each other.

Phrases are grouped in families (one template each). The held-apart split takes whole families,
so validation phrases are not paraphrases of training ones. None of the bench's phrases
(assistant/bench/scenes.py) is here: the bench stays a dev set the head never trained on.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

# Addressed to the assistant: questions, requests and commands (barge-in openers included).
QUERY_FAMILIES: tuple[tuple[Any, ...], ...] = (
    ("What is the {} of {}?", ("capital", "population", "currency", "highest point"),
     ("Germany", "Japan", "Brazil", "Canada", "Egypt", "Norway")),
    ("Where is {} on the map?", ("Kenya", "Peru", "Iceland", "Nepal", "Chile")),
    ("How do I {}?", ("boil an egg", "reset my password", "change a tire", "make pancakes", "tie a bowline knot",
                      "clean a cast iron pan", "convert miles to kilometers")),
    ("Can you {}?", ("set a timer for ten minutes", "play some jazz", "turn the lights off", "tell me a joke",
                     "read me the news", "spell necessary", "call my office", "turn the volume down")),
    ("Tell me about {}.", ("black holes", "the Roman empire", "volcanoes", "the moon landing", "photosynthesis",
                           "penguins", "the history of tea")),
    ("What's the weather like {}?", ("today", "tomorrow morning", "in Chicago this weekend", "at the beach",
                                     "for my run tonight")),
    ("Remind me to {}.", ("call the dentist at noon", "take out the trash tonight", "water the plants",
                          "buy batteries tomorrow", "stretch every hour")),
    ("How far is {}?", ("the moon from the earth", "Paris from London", "the nearest gas station",
                        "Tokyo from Osaka")),
    ("Who {}?", ("invented the telephone", "painted the Mona Lisa", "was the first person on the moon",
                 "discovered penicillin", "wrote Pride and Prejudice")),
    ("{} What is the square root of eighty one?", ("Stop.", "Wait.", "Hold on.", "Sorry,", "Actually,")),
    ("{}, tell me something else.", ("No stop", "Okay wait", "Never mind", "Hang on", "Excuse me")),
    ("{}", ("Stop.", "Stop talking.", "Wait a second.", "Hold on a moment.", "Pause.", "Be quiet please.",
            "That's enough, thanks.", "Okay, stop there.")),
    ("Translate {} into Spanish.", ("good morning", "thank you very much", "where is the train station",
                                     "I would like a coffee")),
    ("What time is it in {}?", ("New York", "Sydney", "Moscow", "Mexico City")),
    ("Give me a recipe for {}.", ("tomato soup", "banana bread", "a quick salad", "fried rice")),
    ("Why {}?", ("is the ocean salty", "do cats purr", "do leaves change color", "is the sky dark at night",
                 "do we dream")),
    ("Set an alarm for {}.", ("six thirty", "seven tomorrow morning", "noon", "a quarter past eight")),
    ("How many {}?", ("bones are in the human body", "states are in the USA", "minutes are in a day",
                      "players are on a soccer team", "moons does Mars have")),
    ("Hey assistant, {}", ("what's on my calendar today?", "how long do I boil pasta?",
                           "what's a good name for a dog?", "what's twelve times twelve?")),
    ("Could you explain {}?", ("how vaccines work", "what inflation is", "how a rainbow forms",
                               "the rules of chess")),
    ("Which {}?", ("country has the most people", "animal is the fastest", "river is the longest",
                   "planet is the hottest")),
    ("Please {}.", ("repeat that", "speak more slowly", "start over", "say that again", "go on")),
    ("What does {} mean?", ("serendipity", "ubiquitous", "the word algorithm", "RSVP")),
    ("Is it going to {} today?", ("rain", "snow", "be windy", "be sunny")),
    ("Play {}.", ("the next song", "something relaxing", "my workout playlist", "the radio", "rain sounds")),
    ("Turn {} the {}.", ("on", "off"), ("kitchen lights", "heating", "fan", "television")),
    ("Add {} to my shopping list.", ("eggs", "olive oil", "paper towels", "two lemons")),
    ("What's the difference between {}?", ("a crocodile and an alligator", "weather and climate",
                                           "a virus and bacteria", "baking soda and baking powder")),
    ("How long does it take to {}?", ("fly to Rome", "hard boil an egg", "learn the guitar", "walk five miles")),
    ("Do you know {}?", ("any good jokes", "who won the world cup in 2010", "what day it is tomorrow",
                         "how to say hello in Japanese")),
    ("I need {}.", ("a timer for my pasta", "directions to the airport", "a synonym for happy",
                    "the phone number of a pharmacy")),
    ("Convert {}.", ("twenty dollars to euros", "five feet to centimeters", "one hundred Fahrenheit to Celsius")),
    ("Can you help me {}?", ("plan a trip to Italy", "write a birthday message", "pick a movie", "fix my bike chain")),
    ("Next question: {}", ("how deep is the ocean?", "what is the speed of light?", "who built the pyramids?")),
    ("{} what was I asking?", ("Wait,", "Hmm,", "Sorry, where was I,")),
    ("Okay, and {}?", ("what about tomorrow", "how much does it cost", "is it open on Sundays", "why is that")),
    ("Show me {}.", ("the news", "my reminders", "pictures of the northern lights", "today's schedule")),
    ("Is {} true?", ("it", "that", "the thing about goldfish memory", "it that bulls hate red")),
    ("What should I {}?", ("cook for dinner tonight", "wear to a job interview", "read next", "name my cat")),
)

# Between people near the device: remarks, plans, questions to each other.
SIDE_FAMILIES: tuple[tuple[Any, ...], ...] = (
    ("{}, did you {}?", ("Mark", "Honey", "Sarah", "Mom", "Tom"),
     ("lock the front door", "feed the dog", "call your brother back", "pay the electric bill")),
    ("I think {}.", ("we're out of coffee", "the car needs an oil change", "she already left for work",
                     "the game starts at eight", "I lost my keys again")),
    ("We should {} {}.", ("visit grandma", "clean the garage", "order pizza", "paint the fence"),
     ("this weekend", "soon", "after lunch", "next month")),
    ("My {} {}.", ("brother", "neighbor", "boss", "aunt", "roommate"),
     ("just got a new puppy", "is moving to Denver", "called me twice today", "broke his arm skiing")),
    ("Are you coming to {}?", ("the party on Friday", "Jenny's wedding", "the school play", "dinner tonight")),
    ("{}", ("Pass me the salt, please.", "Can you grab my jacket from the hall?", "Hand me that towel.",
            "Move over a little, would you?", "Shut the window, it's cold.")),
    ("I can't find my {}.", ("glasses", "phone charger", "blue sweater", "wallet", "car keys")),
    ("Did you see what {} {}?", ("Dad", "the cat", "the neighbors", "your sister"),
     ("did this morning", "posted last night", "bought at the store")),
    ("Yeah, {}.", ("I know, right", "that sounds good to me", "we talked about that already",
                   "I'll do it later", "totally")),
    ("{} was so {}.", ("The movie last night", "That meeting", "Your cake", "The concert"),
     ("funny", "boring", "good", "long", "loud")),
    ("I told {} that {}.", ("him", "her", "the landlord", "my manager"),
     ("we'd be late", "the sink is leaking", "I can't work on Monday")),
    ("Let's {} after {}.", ("go for a walk", "watch a movie", "do the dishes", "call your parents"),
     ("dinner", "the kids are asleep", "work", "the rain stops")),
    ("{}, it's your turn to {}.", ("Okay", "Hey", "Listen"), ("cook", "walk the dog", "drive", "do the laundry")),
    ("Where did you put {}?", ("the scissors", "my book", "the remote", "the grocery list")),
    ("Oh no, {}.", ("I forgot her birthday", "the milk went bad", "we missed the bus", "it's raining again")),
    ("How was {}?", ("your day", "the doctor", "school today", "your trip to Boston")),
    ("I'm going to {} {}.", ("the gym", "the store", "bed", "my sister's place"), ("now", "in a bit", "later")),
    ("Don't forget {}.", ("your lunch", "we have guests tonight", "to text me when you land", "the dentist")),
    ("Did {} call {}?", ("your mother", "the plumber", "Alex", "the school"), ("back yet", "this afternoon")),
    ("I'm so {} today.", ("tired", "hungry", "behind on everything", "happy it's Friday")),
    ("You look {}.", ("great in that shirt", "tired, go to bed", "like you got some sun", "worried, what happened")),
    ("We ran out of {}.", ("toilet paper", "dog food", "bread", "gas on the highway")),
    ("Who's picking up {}?", ("the kids", "Grandpa from the station", "the cake", "the dry cleaning")),
    ("{} said the traffic was {}.", ("Dave", "Your dad", "The radio"), ("terrible", "fine this morning")),
    ("Remember when we {}?", ("got lost in Venice", "painted the kitchen", "missed that flight", "met at the bakery")),
    ("Could you {}, love?", ("take the bins out", "pick up some bread", "help me with this box", "call the vet")),
    ("It's {} in here.", ("freezing", "so stuffy", "too loud", "a mess")),
    ("I {} that show.", ("can't stand", "really liked", "fell asleep during", "never finished")),
    ("What do you want for {}?", ("dinner", "your birthday", "breakfast tomorrow", "Christmas")),
    ("The {} is {} again.", ("dishwasher", "wifi", "baby", "printer"), ("broken", "acting up", "awake")),
    ("Thanks for {}.", ("cooking tonight", "picking me up", "listening", "the flowers, they're lovely")),
    ("Mm-hm, {}.", ("sure", "I guess so", "that's what she told me", "whatever you think")),
    ("So then {} and {}.", ("he left", "she laughed", "we waited"), ("nobody said anything", "it started raining")),
)


def _expand(template: str, options: tuple[tuple[str, ...], ...]) -> list[str]:
    return [template.format(*combo) for combo in itertools.product(*options)]


def families(kind: str) -> list[list[str]]:
    table = QUERY_FAMILIES if kind == "query" else SIDE_FAMILIES
    return [_expand(row[0], row[1:]) for row in table]


VAL_EVERY = 5  # every 5th family is held apart, whole


def is_val_family(i: int) -> bool:
    return i % VAL_EVERY == VAL_EVERY - 1


def phrases(kind: str, val: bool) -> list[tuple[str, int]]:
    """(phrase, family index) of one split."""
    return [(p, i) for i, fam in enumerate(families(kind)) if is_val_family(i) == val for p in fam]


def split(kind: str) -> tuple[list[str], list[str]]:
    """(train, held-apart) phrases."""
    return [p for p, _ in phrases(kind, False)], [p for p, _ in phrases(kind, True)]


# espeak-ng voices: accent + speaker variant. Validation uses variants (speakers) training never heard.
ACCENTS = ("en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-us-nyc")
TRAIN_VARIANTS = ("", "+m1", "+m2", "+m4", "+f1", "+f2", "+f5", "+klatt", "+Andy", "+linda", "+john", "+steph")
VAL_VARIANTS = ("+m6", "+m7", "+annie", "+max", "+f4")


def voice(rng: np.random.Generator, val: bool) -> dict[str, object]:
    variants = VAL_VARIANTS if val else TRAIN_VARIANTS
    return {"voice": str(rng.choice(ACCENTS)) + str(rng.choice(variants)), "wpm": int(rng.integers(125, 200)),
            "pitch": int(rng.integers(25, 75))}


# What the assistant might be saying when its own voice leaks back (Piper), or when someone speaks over it.
ASSISTANT_LINES = (
    "Sure, here is a short story about a lighthouse keeper who finds a message in a bottle.",
    "The first step is to gather your ingredients and preheat the oven to two hundred degrees.",
    "Bicycles use a chain to carry the force from the pedals to the back wheel.",
    "Once upon a time there was a little fox who wanted to see the sea.",
    "The weather tomorrow looks mild, with some clouds in the afternoon.",
    "Mount Everest is the tallest mountain above sea level, at almost nine thousand meters.",
    "Sound travels faster in water than in air, about four times as fast.",
    "Let me explain how this works, step by step, starting with the basics.",
)
