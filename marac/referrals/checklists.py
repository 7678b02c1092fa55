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
    # Scores at or above which the tool grades the risk; None: not graded (S-DASH).
    thresholds: dict[str, int] | None = None

    @property
    def question_numbers(self) -> tuple[str, ...]:
        return tuple(self.labels)


DASH = Checklist(
    tool="dash",
    name="DASH risk identification checklist (24 questions)",
    labels={
        "1": "injured now",
        "2": "victim very afraid",
        "3": "victim fears worse harm",
        "4": "cut off from family or friends",
        "5": "victim low or suicidal",
        "6": "separation in the past year",
        "7": "conflict over child contact",
        "8": "constant contact, following or stalking",
        "9": "pregnant or recent baby",
        "10": "abuse more often",
        "11": "abuse getting worse",
        "12": "controlling or jealous",
        "13": "weapons or objects used",
        "14": "threats to kill",
        "15": "strangling, choking or suffocating",
        "16": "sexual abuse",
        "17": "someone else threatens victim",
        "18": "perpetrator has hurt others",
        "19": "animal or pet harmed",
        "20": "money problems or dependence",
        "21": "perpetrator drugs, alcohol or mental health",
        "22": "perpetrator suicide threats or attempts",
        "23": "bail, injunction or agreement breached",
        "24": "perpetrator criminal history",
    },
    thresholds={"high": HIGH_RISK_THRESHOLD, "medium": MEDIUM_RISK_THRESHOLD},
)

SDASH = Checklist(
    tool="sdash",
    name="S-DASH stalking screening (11 questions)",
    labels={
        "1": "victim very afraid",
        "2": "earlier abuse or harassment",
        "3": "property damaged",
        "4": "turns up unannounced often",
        "5": "follows or loiters near victim",
        "6": "threats of violence",
        "7": "harasses third parties",
        "8": "violent to others in incidents",
        "9": "gets others to help",
        "10": "alcohol or drug problems",
        "11": "violent in the past",
    },
)

CHECKLISTS = {checklist.tool: checklist for checklist in (DASH, SDASH)}


def score(answers: dict[str, str]) -> int:
    """The score is the number of "yes" answers."""
    return sum(1 for value in answers.values() if value == "yes")


def labelled_yes_answers(tool: str, answers: dict[str, str]) -> list[dict]:
    """The "yes" answers in question order, each with our short label: how answers are shown."""
    checklist = CHECKLISTS.get(tool)
    if checklist is None:
        return []
    return [{"number": int(number), "label": label} for number, label in checklist.labels.items()
            if answers.get(number) == "yes"]


def risk_level_from_score(tool: str, risk_score: int) -> str:
    if tool != DASH.tool:
        return "not_graded"
    if risk_score >= HIGH_RISK_THRESHOLD:
        return "high"
    if risk_score >= MEDIUM_RISK_THRESHOLD:
        return "medium"
    return "standard"


def risk_level(tool: str | None, risk_score: int, *, professional_judgement: bool = False) -> str:
    """Professional judgement can raise the level the score gives, never lower it."""
    if professional_judgement:
        return "high"
    return risk_level_from_score(tool, risk_score)
