"""Every citation the rules use, declared once; a rule names these keys in its metadata.

Sources are as listed in ptkb's clinical reference (section g). `note` says how firmly the
reference itself stands behind the source ("not read", "unverified") so explanations can say so.

>>> CITATIONS["askling2013"].short
'Askling 2013'
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Citation", "CITATIONS", "EvidenceLevel", "cite"]


class EvidenceLevel(StrEnum):
    """How strongly a rule is supported (a rule states the level of its best source)."""

    TRIAL = "trial"            # randomised controlled trial or systematic review
    DIAGNOSTIC = "diagnostic"  # diagnostic-accuracy or cohort study with reported figures
    GUIDELINE = "guideline"    # clinical practice guideline, consensus or classification system
    EXPERT = "expert"          # narrative review, teaching or the source article's clinical reasoning
    HEURISTIC = "heuristic"    # a KB design choice (threshold or combination) not validated as such


@dataclass(frozen=True)
class Citation:
    key: str
    authors: str
    year: str
    title: str
    source: str
    note: str = ""

    @property
    def short(self) -> str:
        """First author's surname (particles kept: 'van der Windt') and year.

        >>> CITATIONS["vanderwindt2010"].short, CITATIONS["sapiens2022"].short
        ('van der Windt 2010', 'Sapiens Moves 2022')
        """
        words = self.authors.split(",")[0].split()
        if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:  # drop the initials
            words = words[:-1]
        return f"{' '.join(words)} {self.year}"


def cite(key, authors, year, title, source, note=""):
    return Citation(key, authors, year, title, source, note)


_CITATIONS = (
    cite("mcdaniel2021", "McDaniel L", "2021",
         "Pain in the BUTT! Part 1: differential diagnosis of posterior thigh & buttock pain",
         "Sapiens Moves blog"),
    cite("sapiens2022", "Sapiens Moves", "2022",
         "Pain in the BUTT! Part 2: treatment strategies for posterior thigh & buttock pain",
         "Sapiens Moves blog (the source article of ptkb)"),
    cite("martin2022", "Martin RL, Cibulka MT, Bolgla LA, et al.", "2022",
         "Hamstring strain injury in athletes: clinical practice guidelines",
         "J Orthop Sports Phys Ther 52(3):CPG1-CPG44", "recommendation wording not verified"),
    cite("heiderscheit2010", "Heiderscheit BC, Sherry MA, Silder A, Chumanov ES, Thelen DG", "2010",
         "Hamstring strain injuries: recommendations for diagnosis, rehabilitation, and injury prevention",
         "J Orthop Sports Phys Ther 40(2):67-81", "phase II-III wording unverified"),
    cite("askling2013", "Askling CM, Tengvar M, Thorstensson A", "2013",
         "Acute hamstring injuries in Swedish elite football: an RCT comparing two rehabilitation protocols",
         "Br J Sports Med 47(15):953-959"),
    cite("askling2014", "Askling CM, Tengvar M, Tarassova O, Thorstensson A", "2014",
         "Acute hamstring injuries in Swedish elite sprinters and jumpers: an RCT of two protocols",
         "Br J Sports Med 48(7):532-539"),
    cite("askling2006", "Askling C, Saartok T, Thorstensson A", "2006",
         "Type of acute hamstring strain affects flexibility, strength, and time to return",
         "Br J Sports Med 40(1):40-44"),
    cite("askling2007", "Askling CM, Tengvar M, Saartok T, Thorstensson A", "2007",
         "Acute first-time hamstring strains during high-speed running (and slow-speed stretching)",
         "Am J Sports Med 35(2):197-206 and 35(10):1716-1724"),
    cite("askling2010", "Askling CM, Nilsson J, Thorstensson A", "2010",
         "A new hamstring test to complement the common clinical examination before return to sport",
         "Knee Surg Sports Traumatol Arthrosc 18(12):1798-1803"),
    cite("hickey2020", "Hickey JT, Timmins RG, Maniar N, et al.", "2020",
         "Pain-free versus pain-threshold rehabilitation following acute hamstring strain injury: an RCT",
         "J Orthop Sports Phys Ther 50(2):91-103"),
    cite("pollock2014", "Pollock N, James SLJ, Lee JC, Chakraverty R", "2014",
         "British athletics muscle injury classification: a new grading system",
         "Br J Sports Med 48(18):1347-1351"),
    cite("pollock2022", "Pollock N, Kelly S, Lee J, et al.", "2022",
         "A 4-year study of hamstring injury outcomes in elite track and field",
         "Br J Sports Med 56(5):257-263"),
    cite("ekstrand2012", "Ekstrand J, et al.", "2012",
         "Grade-specific time loss of hamstring injuries (as summarised in Liu et al. 2012)",
         "J Sport Health Sci review", "read via a secondary copy"),
    cite("vandyk2019", "van Dyk N, et al.", "2019",
         "Similar isokinetic strength preinjury and at return to sport after hamstring injury",
         "Med Sci Sports Exerc 51(6):1091-1098"),
    cite("cacchio2012", "Cacchio A, Borra F, Severini G, et al.", "2012",
         "Reliability and validity of three pain provocation tests for chronic proximal hamstring tendinopathy",
         "Br J Sports Med 46(12):883-887"),
    cite("goom2016", "Goom TSH, Malliaras P, Reiman MP, Purdam CR", "2016",
         "Proximal hamstring tendinopathy: clinical aspects of assessment and management",
         "J Orthop Sports Phys Ther 46(6):483-493"),
    cite("silbernagel2007", "Silbernagel KG, Thomee R, Eriksson BI, Karlsson J", "2007",
         "Continued sports activity, using a pain-monitoring model, during rehabilitation (Achilles)",
         "Am J Sports Med 35(6):897-906", "cut-offs read in secondary summaries"),
    cite("park2020", "Park JW, Lee YK, Lee YJ, et al.", "2020",
         "Deep gluteal syndrome as a cause of posterior hip pain and sciatica-like pain",
         "Bone Joint J 102-B(5):556-567"),
    cite("martin2014", "Martin HD, Kivlan BR, Palmer IJ, Martin RL", "2014",
         "Diagnostic accuracy of clinical tests for sciatic nerve entrapment in the gluteal region",
         "Knee Surg Sports Traumatol Arthrosc 22(4):882-888"),
    cite("martin2018", "Martin RL, Schroder RG, Gomez-Hoyos J, et al.", "2018",
         "Accuracy of 3 clinical tests to diagnose proximal hamstrings tears with and without sciatic involvement",
         "Arthroscopy 34(1):114-121", "per-test accuracy not retrieved: supporting evidence only"),
    cite("martin2016", "Martin HD, Khoury A, Schroder R, Palmer IJ", "2016",
         "Ischiofemoral impingement and hamstring syndrome as causes of posterior hip pain",
         "Clin Sports Med 35(3):469-486", "cited by the article; not read"),
    cite("gomezhoyos2016", "Gomez-Hoyos J, Martin RL, Schroder R, Palmer IJ, Martin HD", "2016",
         "Accuracy of 2 physical examination tests in the diagnosis of hip ischiofemoral impingement",
         "Arthroscopy 32(7):1279-1284"),
    cite("coppieters2008", "Coppieters MW, Butler DS", "2008",
         "Do sliders slide and tensioners tension? An analysis of neurodynamic techniques",
         "Man Ther 13(3):213-221"),
    cite("deridder2019", "De Ridder R, De Blaiser C, Verrelst R, et al.", "2019",
         "Neurodynamic sliders promote flexibility in tight hamstring syndrome",
         "Eur J Sport Sci", "cited by the article; not read"),
    cite("physiopedia_dgs", "Physiopedia", "n.d.", "Deep gluteal pain syndrome (symptom list)",
         "physio-pedia.com"),
    cite("deville2000", "Deville WL, van der Windt DA, Dzaferagic A, Bezemer PD, Bouter LM", "2000",
         "The test of Lasegue: systematic review of the accuracy in diagnosing herniated discs",
         "Spine 25(9):1140-1147"),
    cite("vanderwindt2010", "van der Windt DA, et al.", "2010",
         "Physical examination for lumbar radiculopathy due to disc herniation in patients with low-back pain",
         "Cochrane Database Syst Rev CD007431"),
    cite("majlesi2008", "Majlesi J, Togay H, Unalan H, Toprak S", "2008",
         "The sensitivity and specificity of the Slump and the Straight Leg Raising tests",
         "J Clin Rheumatol 14(2):87-91", "specificities conflict between sources"),
    cite("laslett2005", "Laslett M, Aprill CN, McDonald B, Young SB", "2005",
         "Diagnosis of sacroiliac joint pain: validity of individual provocation tests and composites",
         "Man Ther 10(3):207-218", "test-order wording not verified"),
    cite("laslett2003", "Laslett M, Young SB, Aprill CN, McDonald B", "2003",
         "Diagnosing painful sacroiliac joints: a validity study of a McKenzie evaluation and provocation tests",
         "Aust J Physiother 49(2):89-97"),
    cite("barakatt2009", "Barakatt ET, Romano PS, Riddle DL, Beckett LA", "2009",
         "The reliability of Maitland's irritability judgments in patients with low back pain",
         "J Man Manip Ther 17(3):135-140"),
    cite("petersen2021", "Petersen EJ, Thurmond SM, Jensen GM", "2021",
         "Severity, irritability, nature, stage, and stability (SINSS): a clinical perspective",
         "J Man Manip Ther 29(5):297-309"),
    cite("kelley2013", "Kelley MJ, Shaffer MA, Kuhn JE, et al.", "2013",
         "Shoulder pain and mobility deficits: adhesive capsulitis (irritability classification)",
         "J Orthop Sports Phys Ther 43(5):A1-A31", "thresholds as recalled: heuristic"),
    cite("kareha2021", "Kareha SM, McClure PW, Fernandez-Fernandez A", "2021",
         "Reliability and concurrent validity of shoulder tissue irritability classification",
         "Phys Ther 101(3)"),
    cite("bmj_ces", "BMJ Best Practice", "n.d.", "Cauda equina syndrome: diagnosis approach",
         "BMJ Best Practice"),
    cite("greenhalgh_ces", "Greenhalgh S, Finucane L, Mercer C", "n.d.",
         "Cauda equina warning-sign questions (patient card)", "backes.org.uk"),
    cite("bertiche2021", "Bertiche P, Mohtadi N, Chan D, Holmich P", "2021",
         "Proximal hamstring tendon avulsion: state of the art", "J ISAKOS 6:237-246"),
    cite("jyms2023", "Yeungnam Univ J Med review", "2023",
         "Hip and buttock pain differential: vascular vs neurogenic claudication",
         "e-jyms.org"),
    cite("general_principle", "ptkb clinical reference (general principle)", "n.d.",
         "Management principles the reference states without a specific trial (section e6)",
         "reference section e6", "no specific trial retrieved"),
    cite("dvt_general", "ptkb clinical reference (general clinical knowledge)", "n.d.",
         "DVT features and risk factors (general clinical knowledge; no specific source retrieved)",
         "reference section a7", "no specific source retrieved"),
)

CITATIONS = {c.key: c for c in _CITATIONS}
