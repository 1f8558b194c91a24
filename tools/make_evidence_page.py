"""Generate chapters/{ko,en}/evidence.ipynb (unexecuted): python make_evidence.py [ROOT]

The code cells are the same in both languages token for token; only string literals (the TEXT
dict of each language) and comments differ. One section per chapter whose seed-study file
tests/evidence/<chapter>.json exists when this script runs; re-run it when a chapter gains one.
Then record:  make record NB="chapters/ko/evidence.ipynb chapters/en/evidence.ipynb"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
BOOK_ORDER = ["data", "4-4-overfitting-underfitting", "5-1-generalization", "5-2-evaluation",
              "5-3-improving-fit", "5-4-improving-generalization", "5-5-summary",
              "appendix-a-stable-training", "appendix-b-batch-size-l1-l2"]
LANGS = ("ko", "en")

# ---------------------------------------------------------------------------------------------
# Prose (markdown cells), written separately in each language.
# ---------------------------------------------------------------------------------------------
INTRO = {
    "en": """\
# Evidence: every claim, re-run with other seeds

Every claim this book makes about a result is tested where it is made: a `check(...)` call compares a measured value with a threshold and prints a line that starts with ✓. Such a line proves that the claim held in the run whose outputs you are reading. This page asks the harder question: does it also hold in other runs?

**What a seed is.** Training a network involves chance: the initial weights, the order in which batches are drawn, dropout masks, random splits of the data. A *seed* is the number all of that randomness is drawn from. The first code cell of every notebook is `SEED = 42`, and the setup cell passes it to `keras.utils.set_random_seed`, so re-running a notebook on the same kind of machine reproduces its numbers exactly. Another seed gives another run that is just as legitimate: other initial weights, other batches, and slightly different numbers.

**How the study was run.** For each chapter, the maintainers ran

```bash
make seeds NB=chapters/en/<chapter>.ipynb SEEDS="1 2 3 4 5"
```

which executes the notebook once per seed, each time in a fresh kernel, with `SEED = <n>` written into the cell tagged `parameters` (the way papermill injects parameters). It stores every check's measured value and threshold, and each run's time and peak memory, in `tests/evidence/<chapter>.json`; the notebook itself is not rewritten. The study executes the English notebooks. The Korean ones run the same code, token for token (a test compares them), but their stored outputs come from their own run.

**What the tests demand.** The test suite fails if any check has evidence from fewer than three seeds besides the recorded one, if any stored value failed its threshold, or if a threshold changed after the study. The thresholds were set from measurements, with room to spare. When a claim did not hold for some seed, the claim was rephrased or narrowed; the seed was never picked to make it pass.

**Why this page cannot go stale.** No number on this page is typed by hand. The code below reads the evidence files and the stored outputs of every chapter when it runs, and the tests re-execute this page like any other and compare its outputs with the stored ones. If the evidence changes, the page has to be re-recorded. [How this book is executed and tested](about-execution.ipynb) describes the machinery.
""",
    "ko": """\
# 증거: 모든 주장을 다른 시드로 다시 확인하기

이 책이 결과에 대해 하는 주장은 모두 그 자리에서 확인됩니다. `check(...)` 호출이 측정값을 기준과 비교하고, 성립하면 ✓로 시작하는 줄을 출력합니다. 이 줄은 지금 읽고 있는 출력을 만든 실행에서 주장이 성립했다는 증거입니다. 이 페이지는 한 걸음 더 나아가 묻습니다. 다른 실행에서도 성립할까요?

**시드(seed)란.** 신경망 훈련에는 우연이 끼어듭니다. 가중치의 초깃값, 배치를 뽑는 순서, 드롭아웃 마스크, 데이터를 무작위로 나누는 방식이 모두 난수로 정해집니다. 시드는 이 난수를 모두 만들어 내는 출발점이 되는 수입니다. 모든 노트북의 첫 코드 셀은 `SEED = 42`이고, 설정 셀이 이 값을 `keras.utils.set_random_seed`에 넘기므로 같은 종류의 머신에서 다시 실행하면 숫자가 그대로 재현됩니다. 다른 시드로 실행하면 똑같이 정당한 또 하나의 실행이 됩니다. 초깃값도 배치도 달라지고, 숫자도 조금씩 달라집니다.

**시드 연구는 이렇게 했습니다.** 장마다 다음 명령을 실행했습니다.

```bash
make seeds NB=chapters/en/<chapter>.ipynb SEEDS="1 2 3 4 5"
```

이 명령은 시드마다 새 커널에서 노트북을 한 번씩 실행하는데, 그때 `parameters` 태그가 붙은 셀에 `SEED = <n>`을 써넣습니다(papermill이 매개변수를 주입하는 방식입니다). 확인마다 측정값과 기준을, 실행마다 걸린 시간과 최대 메모리를 `tests/evidence/<chapter>.json`에 저장하며, 노트북 파일 자체는 고치지 않습니다. 시드 연구는 영어판 노트북으로 실행합니다. 한국어판 노트북은 토큰 하나까지 같은 코드를 실행하지만(테스트가 비교합니다), 저장된 출력은 한국어판을 따로 실행해 기록한 것입니다.

**테스트가 요구하는 것.** 기록된 시드 말고도 세 개 이상의 시드에서 얻은 증거가 없는 확인이 하나라도 있거나, 저장된 값 가운데 기준을 통과하지 못한 것이 있거나, 시드 연구 뒤에 기준이 바뀌었으면 테스트가 실패합니다. 기준은 측정해 본 뒤 여유를 두고 정했습니다. 어떤 시드에서 성립하지 않은 주장은 표현을 고치거나 범위를 좁혔을 뿐, 통과하는 시드를 골라 쓴 적은 없습니다.

**이 페이지가 낡을 수 없는 이유.** 이 페이지에는 손으로 적은 숫자가 없습니다. 아래 코드가 실행될 때 증거 파일과 각 장의 저장된 출력을 읽어 들이고, 테스트는 이 페이지도 다른 페이지처럼 다시 실행해 저장된 출력과 비교합니다. 증거가 바뀌면 이 페이지도 다시 기록해야 합니다. 자세한 구조는 [이 책을 실행하고 테스트하는 방법](about-execution.ipynb)에 있습니다.
""",
}

READING = {
    "en": """\
## How to read this page

For each check, the page compares every value with the threshold and measures its *margin*: how far the value lies on the passing side, relative to the size of the threshold,

$$\\text{margin} = \\frac{\\text{value} - \\text{threshold}}{|\\text{threshold}|}\\ \\text{ for } >,\\ \\geq \\qquad\\text{and}\\qquad \\frac{\\text{threshold} - \\text{value}}{|\\text{threshold}|}\\ \\text{ for } <,\\ \\leq .$$

A positive margin passes. A value exactly on the threshold has margin 0, which still passes for `>=`, `<=` and `==`. When the threshold is 0 there is nothing to divide by, so the raw difference is used instead; such rows are marked *(raw)* and left out when the page looks for the smallest *relative* margin. For a `<` claim about a quantity that cannot be negative, the margin can be at most 1 (reached by a value of 0), so many such checks sit at 1 in the figures. In the figures each check is a row, each seed a small dot and the recorded seed a diamond; everything right of the red line passes, and the names of thin claims (see below) are set in bold. The horizontal axis is symmetric-logarithmic (linear near 0, logarithmic further out), because margins in this book range from a hair to many times the threshold itself.

A small margin is not necessarily a fragile claim. An accuracy that must exceed a threshold close to the maximum can only have a small relative margin, and yet it may hardly move from one seed to the next. So the tables add a second yardstick, the *headroom*: the distance from the worst value seen to the threshold, divided by the *seed range* (the largest minus the smallest value over all seeds). Below one, a seed that moved the value once more as far as the seeds seen so far could break the claim: the table calls it **thin**. From one to three it is **moderate**, above three **wide**. A check that gave the same value for every seed has no range. It is either a fact of the data or a result that no seed tried has moved, and its margin says how the claim is worded rather than how lucky the run was.

A handful of seeds gives only a rough range; more seeds would likely widen it. A thin claim is not a false one, but it is the first one to watch when you run a notebook with your own seed or on another machine.
""",
    "ko": """\
## 이 페이지를 읽는 법

확인마다 모든 값을 기준과 비교해 *여유*(margin)를 잽니다. 여유는 값이 통과하는 쪽으로 기준에서 얼마나 떨어져 있는지를 기준의 크기에 견준 값입니다.

$$\\text{여유} = \\frac{\\text{값} - \\text{기준}}{|\\text{기준}|}\\ \\ (>,\\ \\geq\\text{일 때}), \\qquad \\frac{\\text{기준} - \\text{값}}{|\\text{기준}|}\\ \\ (<,\\ \\leq\\text{일 때})$$

여유가 양수이면 통과입니다. 값이 기준과 정확히 같으면 여유가 0인데, `>=`, `<=`, `==`에서는 이것도 통과입니다. 기준이 0이면 나눌 수 없으므로 값과 기준의 차이를 그대로 쓰고, 그런 행에는 *(차이)* 표시를 붙였으며, 기준 대비 여유가 가장 작은 확인을 찾을 때는 제외합니다. 음수가 될 수 없는 양에 대한 `<` 주장은 여유가 많아야 1(값이 0일 때)이므로, 그림에서 이런 확인들은 1에 모여 있습니다. 그림에서는 확인 하나가 한 행이고, 시드 하나가 작은 점, 기록된 시드가 마름모입니다. 빨간 선 오른쪽이 모두 통과이고, 빠듯한 주장(아래 설명)은 이름을 굵게 표시했습니다. 가로축은 대칭 로그 축(0 근처는 선형, 멀어질수록 로그)인데, 이 책의 여유는 아슬아슬한 것부터 기준의 몇 배를 훌쩍 넘는 것까지 폭이 넓기 때문입니다.

여유가 작다고 해서 주장이 위태로운 것은 아닙니다. 최댓값에 가까운 기준을 넘어야 하는 정확도는 상대적인 여유가 작을 수밖에 없지만, 시드를 바꿔도 거의 움직이지 않을 수 있습니다. 그래서 표에는 두 번째 잣대인 *여유 배수*를 함께 적었습니다. 가장 나쁜 값과 기준 사이의 거리를 *시드 폭*(모든 시드의 값 중 최댓값에서 최솟값을 뺀 것)으로 나눈 값입니다. 이 값이 1보다 작으면, 지금까지 본 시드들이 움직인 만큼 한 번 더 움직이는 시드가 나오면 주장이 깨질 수 있습니다. 표는 이런 주장을 **빠듯함**으로, 1에서 3 사이는 **보통**, 3을 넘으면 **넉넉함**으로 적습니다. 모든 시드에서 값이 똑같은 확인은 폭이 없습니다. 데이터 자체의 사실이거나 지금까지 어떤 시드도 움직이지 못한 결과이므로, 그 여유는 실행의 운이 아니라 주장을 어떻게 표현했는지를 말해 줍니다.

시드 몇 개로는 폭을 대략 짐작할 수 있을 뿐이고, 시드를 늘리면 폭은 아마 더 넓어질 것입니다. 빠듯한 주장이 틀린 주장은 아닙니다. 다만 자기 시드로, 또는 다른 머신에서 노트북을 실행할 때 가장 먼저 지켜볼 주장입니다.
""",
}

OVERVIEW_MD = {
    "en": """\
## The whole book at a glance

The summary above covers every chapter whose checks have a seed study. The table below gives one line per chapter: how many checks and seeds, what one seed run cost, and the claims that came closest to their thresholds. The sections after it take the chapters one by one.
""",
    "ko": """\
## 책 전체 한눈에 보기

위의 요약은 확인과 시드 연구가 모두 있는 장을 빠짐없이 다룹니다. 아래 표는 장마다 한 줄로, 확인과 시드의 수, 시드 한 번 실행에 든 비용, 기준에 가장 가까이 간 주장을 보여 줍니다. 그다음 절들에서 장을 하나씩 살펴봅니다.
""",
}

CHAPTER_INTRO = {
    "en": {
        "data": "Claims about the datasets themselves (sizes, class balance, word indices), which no training run touches.",
        "4-4-overfitting-underfitting": "Claims about overfitting and underfitting on IMDB: smaller and bigger networks, weight regularization and dropout.",
        "5-1-generalization": "Claims about noisy features, feature selection, and a network memorizing random labels.",
        "5-2-evaluation": "Claims about hold-out and K-fold validation, common-sense baselines, and the ways a validation set can mislead.",
        "5-3-improving-fit": "Claims about the learning rate and about model capacity: when training stalls, and when a bigger model starts to overfit.",
        "5-4-improving-generalization": ("Claims about dataset curation, feature engineering on the clock-reading example, "
                                         "early stopping, and regularizing the IMDB model."),
        "appendix-a-stable-training": "Claims about vanishing gradients, dead units, weight initialization, normalization layers and gradient clipping.",
        "appendix-b-batch-size-l1-l2": "Claims about gradient noise versus batch size, and about how L1 and L2 regularization shape the weights.",
    },
    "ko": {
        "data": "데이터셋 자체에 대한 주장입니다(크기, 레이블 분포, 단어 번호). 어떤 훈련도 이 값들을 건드리지 않습니다.",
        "4-4-overfitting-underfitting": "IMDB에서의 과대적합과 과소적합에 대한 주장입니다. 작은 신경망과 큰 신경망, 가중치 규제, 드롭아웃을 다룹니다.",
        "5-1-generalization": "잡음 특성, 특성 선택, 그리고 무작위 레이블을 외우는 신경망에 대한 주장입니다.",
        "5-2-evaluation": "홀드아웃 검증과 K-겹 검증, 상식 수준의 기준점, 그리고 검증 세트가 판단을 그르치게 만드는 경우에 대한 주장입니다.",
        "5-3-improving-fit": "학습률과 모델 용량에 대한 주장입니다. 훈련이 언제 멈추는지, 큰 모델이 언제 과대적합하기 시작하는지를 다룹니다.",
        "5-4-improving-generalization": ("데이터셋 큐레이션, 시계 읽기 예로 본 특성 공학, 조기 종료, "
                                         "그리고 IMDB 모델을 규제하는 방법들에 대한 주장입니다."),
        "appendix-a-stable-training": "그레이디언트 소실, 죽은 유닛, 가중치 초기화, 정규화 층, 그레이디언트 클리핑에 대한 주장입니다.",
        "appendix-b-batch-size-l1-l2": "배치 크기에 따른 그레이디언트 잡음, 그리고 L1 규제와 L2 규제가 가중치를 어떻게 바꾸는지에 대한 주장입니다.",
    },
}

CLOSING = {
    "en": """\
## What this evidence does and does not show

Every run above used the same kind of machine (2 CPU cores) and the library versions pinned for this book. Other hardware, other thread counts or other versions can change the last digits of a loss or an accuracy, and occasionally more; a claim with wide headroom will shrug that off, a thin one might not. The seeds tried are few, so the ranges shown are lower bounds on how much a value can move, not its full spread. And a check tests the sentence it stands next to, in the setting of its chapter: it says nothing about other datasets or other models.

If you run a chapter with your own seed (edit the `SEED` line, or `papermill -p SEED 7`) and a check fails, that is a real finding about the claim, not a mistake on your side. The claims with the least headroom are listed above, so you know where to look first.
""",
    "ko": """\
## 이 증거가 말해 주는 것과 말해 주지 않는 것

위의 실행은 모두 같은 종류의 머신(CPU 2코어)에서 이 책에 고정된 라이브러리 버전으로 이루어졌습니다. 하드웨어, 스레드 수, 라이브러리 버전이 다르면 손실이나 정확도의 마지막 자리가, 때로는 그 이상이 달라질 수 있습니다. 여유 배수가 넉넉한 주장은 그 정도에 흔들리지 않지만 빠듯한 주장은 흔들릴 수 있습니다. 시도한 시드가 몇 개뿐이므로, 표와 그림의 폭은 값이 움직일 수 있는 범위의 전부가 아니라 최소한의 범위입니다. 그리고 확인은 바로 옆 문장을 그 장의 설정에서 검사할 뿐, 다른 데이터셋이나 다른 모델에 대해서는 아무것도 말해 주지 않습니다.

자기 시드로 한 장을 실행했는데(`SEED` 줄을 고치거나 `papermill -p SEED 7`) 확인이 실패한다면, 그것은 여러분의 실수가 아니라 그 주장에 대한 진짜 발견입니다. 여유 배수가 가장 작은 주장을 위에 적어 두었으니 어디부터 볼지 알 수 있습니다.
""",
}

# ---------------------------------------------------------------------------------------------
# Strings used by the code (the TEXT dict); the code itself is shared.
# ---------------------------------------------------------------------------------------------
TEXT = {
    "en": {
        "summary_head": "Seed study of this book",
        "summary_chapters": "  chapters with a seed study: {n} ({labels})",
        "summary_checks": "  checks: {n}",
        "summary_runs": "  seed runs: {n} with seeds other than the recorded one, on top of each chapter's recorded run (seed {seed})",
        "summary_values": "  stored values: {n}; all passed their thresholds: {ok}",
        "summary_thresholds": "  thresholds in the evidence match the recorded chapters: {ok}",
        "summary_fixed": "  checks that gave the same value for every seed: {n}",
        "summary_margin": "  smallest relative margin among checks that moved with the seed: {margin} ({name}, {label}, seed {seed})",
        "summary_headroom": "  least headroom in the book: {headroom} seed ranges ({name}, {label})",
        "summary_thin": "  thin claims (headroom below {thin}): {n}",
        "summary_no_checks": "  chapters whose stored outputs show no checks: {labels}",
        "summary_no_study": "  chapters with checks but no seed study yet: {labels}",
        "summary_not_recorded": "  of these, chapters whose seed study has begun: {labels}",
        "summary_no_section": "  chapters with a seed study but no section on this page yet: {labels}",
        "yes": "yes",
        "no": "no",
        "none": "none",
        "overview_columns": ["chapter", "checks", "other seeds", "seconds per run (median)", "peak memory (MB)",
                             "smallest relative margin", "least headroom"],
        "columns": ["check", "claim", "threshold", "seed {seed}", "other seeds (min to max)", "seeds",
                    "worst margin", "headroom"],
        "raw": " (raw)",
        "verdicts": {"fixed": "same for every seed", "thin": "thin", "moderate": "moderate", "wide": "wide",
                     "missing": "no evidence"},
        "thinnest": ("**Least headroom:** `{name}`, “{claim}”. Its worst value, {worst} (seed {seed}), "
                     "is {headroom} seed ranges from the threshold `{op} {threshold}`, so it is {verdict}. {meaning}"),
        "meaning": {
            "thin": ("One more seed that moves the value as far again as the seeds already tried could cross "
                     "the threshold: read this claim as holding for the seeds tried, not as a law."),
            "moderate": "Breaking it would take a seed clearly further out than any tried so far.",
            "wide": "No seed tried came anywhere near the threshold.",
        },
        "smallest": ("**Smallest relative margin:** `{name}` at {margin} (seed {seed}). "
                     "The seeds move it by {spread} at most, which gives a headroom of {headroom}: {verdict}."),
        "smallest_same": "**Smallest relative margin:** the same check, at {margin}.",
        "fixed": ("**Same value for every seed:** {names}. These are facts of the data or results no seed tried "
                  "has moved; their margin tells how the claim is worded, not how lucky a run was."),
        "all_fixed": "Every check of this chapter gave the same value for every seed tried.",
        "failed": "**Failed for some seed:** {names}. The test suite rejects this evidence until the claim is fixed.",
        "fig_title": "{title}: each claim's margin, seed by seed",
        "xlabel": "margin = distance past the threshold / |threshold|   (symlog axis)",
        "xlabel_raw": "\nrows marked (raw): threshold 0, raw difference",
        "legend_seeds": "other seeds ({seeds})",
        "legend_recorded": "seed {seed} (stored outputs)",
        "legend_threshold": "threshold: passing is to the right",
    },
    "ko": {
        "summary_head": "이 책의 시드 연구",
        "summary_chapters": "  시드 연구가 있는 장: {n}개 ({labels})",
        "summary_checks": "  확인: {n}개",
        "summary_runs": "  다른 시드로 실행한 횟수: {n}번 (장마다 기록된 시드 {seed}의 실행은 따로)",
        "summary_values": "  저장된 값: {n}개, 모두 기준 통과: {ok}",
        "summary_thresholds": "  증거의 기준이 기록된 장의 기준과 일치: {ok}",
        "summary_fixed": "  모든 시드에서 값이 같았던 확인: {n}개",
        "summary_margin": "  시드에 따라 움직이는 확인 중 기준 대비 여유가 가장 작은 것: {margin} ({name}, {label}, 시드 {seed})",
        "summary_headroom": "  책 전체에서 가장 작은 여유 배수: 시드 폭의 {headroom}배 ({name}, {label})",
        "summary_thin": "  빠듯한 주장(여유 배수 {thin} 미만): {n}개",
        "summary_no_checks": "  저장된 출력에 확인이 없는 장: {labels}",
        "summary_no_study": "  확인은 있지만 아직 시드 연구가 없는 장: {labels}",
        "summary_not_recorded": "  그중 시드 연구를 시작한 장: {labels}",
        "summary_no_section": "  시드 연구는 있지만 이 페이지에 아직 절이 없는 장: {labels}",
        "yes": "예",
        "no": "아니요",
        "none": "없음",
        "overview_columns": ["장", "확인 수", "다른 시드 수", "실행 한 번에 걸린 시간(초, 중앙값)", "최대 메모리(MB)",
                             "기준 대비 여유가 가장 작은 확인", "여유 배수가 가장 작은 확인"],
        "columns": ["확인", "주장", "기준", "시드 {seed}", "다른 시드 (최소~최대)", "시드 수",
                    "가장 작은 여유", "여유 배수"],
        "raw": " (차이)",
        "verdicts": {"fixed": "시드마다 같음", "thin": "빠듯함", "moderate": "보통", "wide": "넉넉함",
                     "missing": "증거 없음"},
        "thinnest": ("**여유 배수가 가장 작은 확인:** `{name}`, 즉 '{claim}'라는 주장입니다. 가장 나쁜 값(시드 {seed}의 {worst})과 "
                     "기준 `{op} {threshold}` 사이의 거리가 시드 폭의 {headroom}배여서 {verdict}으로 분류됩니다. {meaning}"),
        "meaning": {
            "thin": ("지금까지의 시드들이 움직인 만큼 한 번 더 움직이는 시드가 나오면 기준을 넘을 수 있습니다. "
                     "이 주장은 법칙이라기보다 시도한 시드에서 성립한 주장으로 읽어야 합니다."),
            "moderate": "이 주장을 깨려면 지금까지 본 어떤 시드보다 확실히 멀리 벗어나는 시드가 필요합니다.",
            "wide": "시도한 어떤 시드도 기준 근처에 가지 못했습니다.",
        },
        "smallest": ("**기준 대비 여유가 가장 작은 확인:** `{name}`, 여유 {margin}(시드 {seed}). "
                     "시드에 따라 값이 움직인 폭은 {spread}이고, 여유 배수는 {headroom}({verdict})입니다."),
        "smallest_same": "**기준 대비 여유가 가장 작은 확인:** 같은 확인이며, 여유는 {margin}입니다.",
        "fixed": ("**모든 시드에서 값이 같은 확인:** {names}. 데이터 자체의 사실이거나 어떤 시드도 움직이지 못한 결과이므로, "
                  "여유는 실행의 운이 아니라 주장을 어떻게 표현했는지를 말해 줍니다."),
        "all_fixed": "이 장의 확인은 시도한 모든 시드에서 값이 똑같았습니다.",
        "failed": "**어떤 시드에서 실패한 확인:** {names}. 주장을 고치기 전까지 테스트가 이 증거를 받아들이지 않습니다.",
        "fig_title": "{title}: 시드별로 본 주장의 여유",
        "xlabel": "여유 = 기준을 넘어선 거리 / |기준|   (대칭 로그 축)",
        "xlabel_raw": "\n(차이) 표시 행: 기준이 0이라 차이를 그대로 씀",
        "legend_seeds": "다른 시드 ({seeds})",
        "legend_recorded": "시드 {seed} (저장된 출력)",
        "legend_threshold": "기준: 오른쪽이 통과",
    },
}

# ---------------------------------------------------------------------------------------------
# Code cells (shared). Comments are language-specific via COMMENTS.
# ---------------------------------------------------------------------------------------------
HELPERS = '''\
# @@c_helpers@@
import json
import re
import unicodedata
from pathlib import Path
from statistics import median

from IPython.display import Markdown, display
from matplotlib.ticker import FuncFormatter

EVIDENCE = Path("../../tests/evidence")  # @@c_evidence@@
BOOK_ORDER = ["data", "4-4-overfitting-underfitting", "5-1-generalization", "5-2-evaluation",
              "5-3-improving-fit", "5-4-improving-generalization", "5-5-summary",
              "appendix-a-stable-training", "appendix-b-batch-size-l1-l2"]
SECTIONS = @@SECTIONS@@  # @@c_sections@@
CHECK_LINE = re.compile(r"✓ \\[(?P<name>\\w+)\\] (?P<value>\\S+) (?P<op><=|>=|==|<|>) (?P<threshold>\\S+) — (?P<claim>.*)")
THIN, WIDE = 1, 3  # @@c_thin@@
MOVING = ("thin", "moderate", "wide")  # @@c_moving@@
TEXT = @@TEXT@@


def joined(text):
    return "".join(text) if isinstance(text, list) else text


def read_chapter(chapter):
    """@@c_read_chapter@@"""
    cells = json.loads(Path(f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    title = next(line[2:].strip() for line in joined(cells[0]["source"]).splitlines() if line.startswith("# "))
    seed = next(int(m.group(1)) for cell in cells if "parameters" in cell["metadata"].get("tags", [])
                for m in [re.search(r"^SEED\\s*=\\s*(\\d+)", joined(cell["source"]), re.M)] if m)
    claims = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            for m in CHECK_LINE.finditer(joined(output.get("text", ""))):
                claims[m["name"]] = {"value": float(m["value"]), "op": m["op"],
                                     "threshold": float(m["threshold"]), "claim": m["claim"].strip()}
    return title, seed, claims


def label_of(title):
    """@@c_label_of@@"""
    m = re.match(r"\\d\\.\\d+|Appendix [A-Z]|부록 [A-Z]", title)
    return m.group(0) if m else title


def passes(value, op, threshold):
    return {"<": value < threshold, "<=": value <= threshold, ">": value > threshold,
            ">=": value >= threshold, "==": value == threshold}[op]


def gap(value, op, threshold):
    """@@c_gap@@"""
    if op == "==":
        return -abs(value - threshold) + 0.0
    return (value - threshold if op in (">", ">=") else threshold - value) + 0.0


def margin(value, op, threshold):
    """@@c_margin@@"""
    return gap(value, op, threshold) / abs(threshold) if threshold else gap(value, op, threshold)


def study(chapter):
    """@@c_study@@"""
    title, seed, claims = read_chapter(chapter)
    evidence = json.loads((EVIDENCE / f"{chapter}.json").read_text(encoding="utf-8"))
    runs = sorted((run for run in evidence["runs"] if run["seed"] != seed), key=lambda run: run["seed"])
    rows, thresholds_match = [], True
    for name, claim in claims.items():
        measured = [(run["seed"], c) for run in runs for c in run["checks"] if c["name"] == name]
        thresholds_match &= all((c["op"], c["threshold"]) == (claim["op"], claim["threshold"]) for _, c in measured)
        seeds = [s for s, _ in measured] + [seed]
        values = [c["value"] for _, c in measured] + [claim["value"]]
        gaps = [gap(v, claim["op"], claim["threshold"]) for v in values]
        worst = min(range(len(values)), key=gaps.__getitem__)
        spread = max(values) - min(values)
        headroom = gaps[worst] / spread if spread else None
        verdict = ("missing" if not measured else "fixed" if headroom is None else "thin" if headroom < THIN
                   else "moderate" if headroom < WIDE else "wide")
        rows.append({**claim, "name": name, "seeds": seeds[:-1], "values": values[:-1],
                     "passed": all(c["passed"] for _, c in measured)
                     and all(passes(v, claim["op"], claim["threshold"]) for v in values),
                     "worst_value": values[worst], "worst_seed": seeds[worst],
                     "worst_margin": margin(values[worst], claim["op"], claim["threshold"]),
                     "spread": spread, "headroom": headroom, "verdict": verdict})
    return {"chapter": chapter, "title": title, "label": label_of(title), "seed": seed, "rows": rows,
            "runs": len(runs), "seeds": [run["seed"] for run in runs], "thresholds_match": thresholds_match,
            "seconds": median([run["seconds"] for run in runs] or [0]),
            "peak_mb": max((run["peak_mb"] for run in runs), default=0)}


def fmt(x):
    return f"{x:.4g}"


def fmt_margin(row, m=None):
    m = row["worst_margin"] if m is None else m
    if not row["threshold"]:
        return f"{m:+.3g}{TEXT['raw']}"
    pct = 100 * m + 0.0
    return f"{pct:+.0f} %" if abs(pct) >= 100 else f"{pct:+.3g} %"


def fmt_headroom(row):
    return "-" if row["headroom"] is None else f"{row['headroom']:.3g}"


def shorten(text, width=64):
    """@@c_shorten@@"""
    out, used = "", 0
    for ch in text:
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return out.rstrip(" ,(") + "…"
        out += ch
    return out


def cell(text):
    """@@c_cell@@"""
    return text.replace("|", "\\\\|").replace("<", "&lt;").replace("*", "\\\\*")
'''

SUMMARY = '''\
# @@c_summary@@
pages = {c: read_chapter(c) for c in BOOK_ORDER if Path(f"{c}.ipynb").exists()}
studies = {c: study(c) for c, (_, _, claims) in pages.items() if claims and (EVIDENCE / f"{c}.json").exists()}
others = {c: page for c, page in pages.items() if c not in studies}
rows = [(s, row) for s in studies.values() for row in s["rows"]]
moving = [(s, row) for s, row in rows if row["verdict"] in MOVING]
by_margin = min(((s, row) for s, row in moving if row["threshold"]), key=lambda sr: sr[1]["worst_margin"],
                default=None)
by_headroom = min(moving, key=lambda sr: sr[1]["headroom"], default=None)
recorded_seeds = sorted({s["seed"] for s in studies.values()})

print(TEXT["summary_head"])
print(TEXT["summary_chapters"].format(n=len(studies), labels=", ".join(s["label"] for s in studies.values())))
print(TEXT["summary_checks"].format(n=len(rows)))
print(TEXT["summary_runs"].format(n=sum(s["runs"] for s in studies.values()),
                                  seed=", ".join(map(str, recorded_seeds))))
print(TEXT["summary_values"].format(n=sum(len(row["values"]) + 1 for _, row in rows),
                                    ok=TEXT["yes"] if all(row["passed"] for _, row in rows) else TEXT["no"]))
print(TEXT["summary_thresholds"].format(ok=TEXT["yes"] if all(s["thresholds_match"] for s in studies.values())
                                        else TEXT["no"]))
print(TEXT["summary_fixed"].format(n=len(rows) - len(moving)))
if by_margin:
    print(TEXT["summary_margin"].format(margin=fmt_margin(by_margin[1]), name=by_margin[1]["name"],
                                        label=by_margin[0]["label"], seed=by_margin[1]["worst_seed"]))
if by_headroom:
    print(TEXT["summary_headroom"].format(headroom=fmt_headroom(by_headroom[1]), name=by_headroom[1]["name"],
                                          label=by_headroom[0]["label"]))
print(TEXT["summary_thin"].format(thin=THIN, n=sum(row["verdict"] == "thin" for _, row in rows)))
no_checks = [label_of(title) for title, _, claims in others.values() if not claims]
no_study = [label_of(title) for title, _, claims in others.values() if claims]
not_recorded = [label_of(title) for c, (title, _, claims) in others.items()
                if not claims and (EVIDENCE / f"{c}.json").exists()]
no_section = [s["label"] for c, s in studies.items() if c not in SECTIONS]
print(TEXT["summary_no_checks"].format(labels=", ".join(no_checks) or TEXT["none"]))
if no_study:
    print(TEXT["summary_no_study"].format(labels=", ".join(no_study)))
if not_recorded:
    print(TEXT["summary_not_recorded"].format(labels=", ".join(not_recorded)))
if no_section:
    print(TEXT["summary_no_section"].format(labels=", ".join(no_section)))
'''

OVERVIEW = '''\
# @@c_overview@@
lines = ["| " + " | ".join(TEXT["overview_columns"]) + " |", "|" + "---|" * len(TEXT["overview_columns"])]
for s in studies.values():
    moving_rows = [row for row in s["rows"] if row["verdict"] in MOVING]
    low_margin = min((row for row in moving_rows if row["threshold"]), key=lambda row: row["worst_margin"],
                     default=None)
    low_headroom = min(moving_rows, key=lambda row: row["headroom"], default=None)
    lines.append("| " + " | ".join([
        cell(s["title"]), str(len(s["rows"])), str(s["runs"]), f"{s['seconds']:.0f}", f"{s['peak_mb']:.0f}",
        f"`{low_margin['name']}` {fmt_margin(low_margin)}" if low_margin else TEXT["none"],
        f"`{low_headroom['name']}` {fmt_headroom(low_headroom)} ({TEXT['verdicts'][low_headroom['verdict']]})"
        if low_headroom else TEXT["none"]]) + " |")
display(Markdown("\\n".join(lines)))
'''

SECTION_TABLE_FIGURE = '''\
s = studies["@@CHAPTER@@"]
table(s)
strip_plot(s)
plt.show()
'''

SECTION_VERDICT = '''\
verdict(studies["@@CHAPTER@@"])
'''

DRAW = '''\
# @@c_draw@@
def table(s):
    columns = [c.format(seed=s["seed"]) for c in TEXT["columns"]]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in s["rows"]:
        lines.append("| " + " | ".join([
            f"`{row['name']}`", cell(shorten(row["claim"])), f"`{row['op']} {fmt(row['threshold'])}`",
            fmt(row["value"]),
            f"{fmt(min(row['values']))} ~ {fmt(max(row['values']))}" if row["values"] else "-",
            str(len(row["values"])), fmt_margin(row),
            f"{fmt_headroom(row)} ({TEXT['verdicts'][row['verdict']]})"]) + " |")
    display(Markdown("\\n".join(lines)))


def strip_plot(s):
    rows = s["rows"]
    margins = [margin(v, row["op"], row["threshold"]) for row in rows for v in row["values"] + [row["value"]]]
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(rows) + 1.6), layout="constrained")
    ax.axvspan(-1e9, 0, color="#c44e52", alpha=0.07, lw=0)
    ax.axvline(0, color="#c44e52", lw=1.3, label=TEXT["legend_threshold"], zorder=2)
    for y, row in enumerate(rows):
        n = len(row["values"])
        offsets = np.linspace(-0.2, 0.2, n) if n > 1 else np.zeros(n)
        xs = [margin(v, row["op"], row["threshold"]) for v in row["values"]]
        ax.scatter(xs, y + offsets, s=13, color="#4c72b0", alpha=0.75, zorder=3,
                   label=TEXT["legend_seeds"].format(seeds=", ".join(map(str, s["seeds"]))) if y == 0 else None)
        ax.scatter([margin(row["value"], row["op"], row["threshold"])], [y], marker="D", s=34, color="#dd8452",
                   edgecolor="black", linewidth=0.5, zorder=4,
                   label=TEXT["legend_recorded"].format(seed=s["seed"]) if y == 0 else None)
    ax.set_xscale("symlog", linthresh=0.01, linscale=0.4)
    ax.set_xlim(-0.015, max(1.0, max(margins, default=1.0)) * 3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.set_yticks(range(len(rows)), [row["name"] + (TEXT["raw"] if not row["threshold"] else "") for row in rows],
                  fontsize=8)
    for tick, row in zip(ax.get_yticklabels(), rows):
        tick.set_fontweight("bold" if row["verdict"] == "thin" else "normal")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    raw = any(not row["threshold"] for row in rows)
    ax.set_xlabel(TEXT["xlabel"] + (TEXT["xlabel_raw"] if raw else ""), fontsize=9, labelpad=6, linespacing=1.6)
    ax.set_title(TEXT["fig_title"].format(title=s["title"]), fontsize=10)
    fig.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)


def verdict(s):
    moving_rows = [row for row in s["rows"] if row["verdict"] in MOVING]
    fixed = [f"`{row['name']}`" for row in s["rows"] if row["verdict"] == "fixed"]
    failed = [f"`{row['name']}`" for row in s["rows"] if not row["passed"]]
    parts = []
    if moving_rows:
        thinnest = min(moving_rows, key=lambda row: row["headroom"])
        smallest = min((row for row in moving_rows if row["threshold"]), key=lambda row: row["worst_margin"],
                       default=None)
        parts.append(TEXT["thinnest"].format(
            name=thinnest["name"], claim=thinnest["claim"], worst=fmt(thinnest["worst_value"]),
            seed=thinnest["worst_seed"], headroom=fmt_headroom(thinnest), op=thinnest["op"],
            threshold=fmt(thinnest["threshold"]), verdict=TEXT["verdicts"][thinnest["verdict"]],
            meaning=TEXT["meaning"][thinnest["verdict"]]))
        if smallest is None:
            pass
        elif smallest is thinnest:
            parts.append(TEXT["smallest_same"].format(margin=fmt_margin(smallest)))
        else:
            parts.append(TEXT["smallest"].format(
                name=smallest["name"], margin=fmt_margin(smallest), seed=smallest["worst_seed"],
                spread=fmt(smallest["spread"]), headroom=fmt_headroom(smallest),
                verdict=TEXT["verdicts"][smallest["verdict"]]))
    else:
        parts.append(TEXT["all_fixed"])
    if fixed:
        parts.append(TEXT["fixed"].format(names=", ".join(fixed)))
    if failed:
        parts.append(TEXT["failed"].format(names=", ".join(failed)))
    display(Markdown("\\n\\n".join(parts)))
'''

COMMENTS = {
    "en": {
        "c_helpers": "Read the seed study's files and the stored outputs of the chapters; nothing is trained here.",
        "c_evidence": "relative to this notebook's folder, chapters/<language>/",
        "c_sections": "chapters that have a section on this page",
        "c_thin": "headroom (in seed ranges) below which a claim is thin, and from which it is wide",
        "c_moving": "verdicts of checks whose value moved with the seed",
        "c_read_chapter": "Title, recorded seed and check lines (value, op, threshold, claim) of a chapter in this language.",
        "c_label_of": "The short name of a chapter: its section number, or the appendix letter.",
        "c_gap": "How far a value lies on the passing side of its threshold, in the value's own units.",
        "c_margin": "The gap relative to |threshold|; the raw gap when the threshold is 0.",
        "c_study": "One chapter: for every check, the recorded value, the other seeds' values, worst margin and headroom.",
        "c_shorten": "Cut a claim to about `width` columns (a Korean character takes two).",
        "c_cell": "Escape what would break a Markdown table cell.",
        "c_summary": "The whole book: every chapter that has a seed-study file, in book order.",
        "c_overview": "One line per chapter.",
        "c_draw": "The table, the figure and the short verdict of one chapter.",
    },
    "ko": {
        "c_helpers": "시드 연구 파일과 각 장의 저장된 출력을 읽습니다. 여기서는 아무것도 훈련하지 않습니다.",
        "c_evidence": "이 노트북이 있는 폴더(chapters/<언어>/) 기준의 상대 경로",
        "c_sections": "이 페이지에 절이 있는 장",
        "c_thin": "여유 배수(시드 폭의 몇 배인지)가 이보다 작으면 빠듯함, 이 이상이면 넉넉함",
        "c_moving": "시드에 따라 값이 움직인 확인의 판정",
        "c_read_chapter": "이 언어로 된 장의 제목, 기록된 시드, 확인 줄(값, 연산자, 기준, 주장)을 읽습니다.",
        "c_label_of": "장의 짧은 이름: 절 번호나 부록의 알파벳.",
        "c_gap": "값이 기준에서 통과하는 쪽으로 얼마나 떨어져 있는지(값의 단위 그대로).",
        "c_margin": "그 거리를 |기준|으로 나눈 값. 기준이 0이면 거리 그대로.",
        "c_study": "한 장: 확인마다 기록된 값, 다른 시드의 값, 가장 작은 여유와 여유 배수.",
        "c_shorten": "주장을 대략 width 칸으로 자릅니다(한글 한 글자는 두 칸).",
        "c_cell": "마크다운 표의 칸을 깨뜨리는 문자를 이스케이프합니다.",
        "c_summary": "책 전체: 시드 연구 파일이 있는 모든 장을 책 순서대로.",
        "c_overview": "장마다 한 줄.",
        "c_draw": "장 하나의 표, 그림, 짧은 판정.",
    },
}


def fill(template: str, lang: str, **extra) -> str:
    text = template
    for key, value in COMMENTS[lang].items():
        text = text.replace(f"@@{key}@@", value)
    for key, value in extra.items():
        text = text.replace(f"@@{key}@@", value)
    assert "@@" not in text, text[text.index("@@") - 40:text.index("@@") + 40]
    return text


def pretty_text(d: dict) -> str:
    """The TEXT dict as readable Python source."""
    lines = ["{"]
    for key, value in d.items():
        lines.append(f"    {key!r}: {value!r},")
    lines.append("}")
    return "\n".join(lines)


def chapter_title(lang: str, chapter: str) -> str:
    nb = json.loads((ROOT / "chapters" / lang / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    src = nb["cells"][0]["source"]
    src = "".join(src) if isinstance(src, list) else src
    return next(line[2:].strip() for line in src.splitlines() if line.startswith("# "))


def recorded_checks(lang: str, chapter: str) -> bool:
    """Whether the chapter's stored outputs show check lines."""
    path = ROOT / "chapters" / lang / f"{chapter}.ipynb"
    return path.exists() and "\u2713 [" in path.read_text(encoding="utf-8")


def build(lang: str, sections: list[str]):
    about = nbformat.read(ROOT / "chapters" / lang / "about-execution.ipynb", as_version=4)
    about_code = [c for c in about.cells if c.cell_type == "code"]
    gfm = {"mystnb": {"markdown_format": "gfm"}}
    cells = [
        new_markdown_cell(INTRO[lang], id="intro"),
        new_code_cell(about_code[0].source, id="parameters", metadata={"tags": ["parameters"]}),
        new_code_cell(about_code[1].source, id="setup"),
        new_markdown_cell(READING[lang], id="reading"),
        new_code_cell(fill(HELPERS, lang, SECTIONS=repr(sections), TEXT=pretty_text(TEXT[lang])), id="helpers"),
        new_code_cell(fill(DRAW, lang), id="draw"),
        new_code_cell(fill(SUMMARY, lang), id="summary"),
        new_markdown_cell(OVERVIEW_MD[lang], id="overview-text"),
        new_code_cell(fill(OVERVIEW, lang), id="overview", metadata=gfm),
    ]
    for chapter in sections:
        title = chapter_title(lang, chapter)
        md = f"## [{title}]({chapter}.ipynb)\n"
        if chapter in CHAPTER_INTRO[lang]:
            md += "\n" + CHAPTER_INTRO[lang][chapter] + "\n"
        cells.append(new_markdown_cell(md, id=f"{chapter}-text"))
        cells.append(new_code_cell(fill(SECTION_TABLE_FIGURE, lang, CHAPTER=chapter), id=f"{chapter}-figure",
                                   metadata=gfm))
        cells.append(new_code_cell(fill(SECTION_VERDICT, lang, CHAPTER=chapter), id=f"{chapter}-verdict"))
    cells.append(new_markdown_cell(CLOSING[lang], id="closing"))
    nb = new_notebook(cells=cells, metadata={
        "dlbook": {"language": lang},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    return nb


def main():
    sections = [c for c in BOOK_ORDER if (ROOT / "tests" / "evidence" / f"{c}.json").exists()
                and all(recorded_checks(lang, c) for lang in LANGS)]
    for lang in LANGS:
        out = ROOT / "chapters" / lang / "evidence.ipynb"
        nbformat.write(build(lang, sections), out)
        print("wrote", out, "sections:", sections)


if __name__ == "__main__":
    main()
