"""Link the first bold use of each glossary term in a chapter to the glossary: python tools/link_glossary_terms.py NAME ...

For each language, each term of chapters/<lang>/glossary.md, and each named chapter, the first **term** in
its markdown (headings skipped) becomes {term}`term`. Terms already linked are left alone, so it can be re-run.
"""
import json, re, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
names = sys.argv[1:]
for lang in ('en', 'ko'):
    s = (ROOT / f'chapters/{lang}/glossary.md').read_text()
    block = s.split('```{glossary}')[1].split('```')[0]
    terms = [l for l in block.splitlines() if l and not l.startswith((' ', ':'))]
    for name in names:
        path = ROOT / f'chapters/{lang}/{name}.ipynb'
        nb = json.loads(path.read_text())
        linked = []
        for term in sorted(terms, key=len, reverse=True):
            if any(f'<{term}>`' in ''.join(c['source']) or f'{{term}}`{term}`' in ''.join(c['source']) for c in nb['cells']):
                continue
            pattern = re.compile(r'\*\*(' + re.escape(term) + r')\*\*', re.I)
            for c in nb['cells']:
                if c['cell_type'] != 'markdown':
                    continue
                src = ''.join(c['source'])
                lines = src.split('\n')
                done = False
                for i, line in enumerate(lines):
                    if line.startswith('#'):
                        continue
                    m = pattern.search(line)
                    if m:
                        text = m.group(1)
                        role = f'{{term}}`{text}`' if text == term else f'{{term}}`{text} <{term}>`'
                        lines[i] = line[:m.start()] + role + line[m.end():]
                        done = True
                        break
                if done:
                    c['source'] = '\n'.join(lines).splitlines(keepends=True)
                    linked.append(term)
                    break
        import nbformat; nbformat.write(nbformat.reads(json.dumps(nb), as_version=4), str(path))
        print(lang, name, linked)
