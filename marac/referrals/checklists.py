"""The risk checklists, stored by question number with our own short labels.

The published question wording belongs to its authors (SafeLives for DASH RIC, Paladin
and partners for S-DASH) and is deliberately not reproduced here: practitioners use the
published form, the software records which numbered answers were "yes".
"""

from dataclasses import dataclass

ANSWER_VALUES = ("yes", "no", "not_known")

# DASH RIC: score 14+ is visible high risk, 10-13 medium, 0-9 standard.
HIGH_RISK_THRESHOLD = 14
MEDIUM_RISK_THRESHOLD = 10


@dataclass(frozen=True)
class Checklist:
    tool: str
    name: str
    labels: dict[str, str]

    @property
    def question_numbers(self) -> tuple[str, ...]:
        return tuple(self.labels)


DASH = Checklist(
    tool="dash",
    name="DASH risk identification checklist (24 questions)",
    labels={
        "1": "injury now",
        "2": "victim very afraid",
        "3": "victim fears further harm",
        "4": "isolation",
        "5": "victim low mood or suicidal",
        "6": "separation",
        "7": "child contact conflict",
        "8": "persistent contact or stalking",
        "9": "pregnancy or new baby",
        "10": "abuse more frequent",
        "11": "abuse more severe",
        "12": "control and jealousy",
        "13": "weapons or objects used",
        "14": "threats to kill",
        "15": "strangling, choking or suffocating",
        "16": "sexual abuse",
        "17": "others threatened or harmed",
        "18": "children harmed",
        "19": "threats to children",
        "20": "perpetrator money problems",
        "21": "perpetrator suicide or self-harm",
        "22": "breach of bail or orders",
        "23": "perpetrator police history",
        "24": "perpetrator drugs, alcohol or mental health",
    },
)

SDASH = Checklist(
    tool="sdash",
    name="S-DASH stalking screening (11 questions)",
    labels={
        "1": "victim very afraid",
        "2": "previous stalking or harassment by perpetrator",
        "3": "vandalism or property damage",
        "4": "behaviour escalating",
        "5": "threats of violence",
        "6": "perpetrator turns up uninvited",
        "7": "third parties used to contact",
        "8": "perpetrator abused others",
        "9": "sexual threats or abuse",
        "10": "perpetrator violent history",
        "11": "perpetrator mental health or substance use",
    },
)

CHECKLISTS = {checklist.tool: checklist for checklist in (DASH, SDASH)}


def score(answers: dict[str, str]) -> int:
    """The score is the number of "yes" answers."""
    return sum(1 for value in answers.values() if value == "yes")


def risk_level_from_score(tool: str, risk_score: int) -> str:
    if tool != DASH.tool:
        return "not_graded"
    if risk_score >= HIGH_RISK_THRESHOLD:
        return "high"
    if risk_score >= MEDIUM_RISK_THRESHOLD:
        return "medium"
    return "standard"
