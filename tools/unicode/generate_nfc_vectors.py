#!/usr/bin/env python3
# Writes Quamba.Tests/Tokenization/Data/nfc_vectors.json: strings with their NFC and NFD forms per Python's
# unicodedata (the same Unicode version as UnicodeNormalizationData.cs). Deterministic (seeded).
#   python3 tools/unicode/generate_nfc_vectors.py > Quamba.Tests/Tokenization/Data/nfc_vectors.json
import json, random, unicodedata as ud

rng = random.Random(1234)
marks = [0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x323, 0x327, 0x328, 0x331, 0x338, 0x345, 0x5B0, 0x651, 0x93C, 0x9BE, 0x9D7, 0xB3E, 0xCD5, 0x102E, 0x1D165, 0x1D16E, 0x3099, 0x309A]
bases = [ord(c) for c in 'aeiouAEIOUnNcCsSzZyYwW=<>'] + [0x3B1, 0x3B7, 0x3C9, 0x391, 0x415, 0x418, 0x627, 0x648, 0x9C7, 0xB47, 0xCC6, 0x1025, 0x304B, 0x30AB, 0x30CF, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xAC01, 0x212B, 0x2126, 0x0344, 0x0F73, 0x1E0A, 0x1E9B, 0xC5, 0xE9, 0x1D15E, 0x2ADC, 0xFB2C, 0x2F800, 0x20000, 0x1F600]
vectors = []
for i in range(3000):
    n = rng.randint(1, 8)
    s = ''.join(chr(rng.choice(marks if rng.random() < 0.4 else bases)) for _ in range(n))
    vectors.append({'s': s, 'nfc': ud.normalize('NFC', s), 'nfd': ud.normalize('NFD', s)})
# every code point with a canonical decomposition, alone and followed by a combining mark
for cp in range(0xC0, 0x30000):
    if 0xD800 <= cp <= 0xDFFF: continue
    c = chr(cp)
    d = ud.decomposition(c)
    if d and not d.startswith('<') or 0xAC00 <= cp <= 0xD7A3 and cp % 97 == 0:
        for s in (c, c + '\u0323', c + '\u0301'):
            vectors.append({'s': s, 'nfc': ud.normalize('NFC', s), 'nfd': ud.normalize('NFD', s)})
print(json.dumps({'unicode_version': ud.unidata_version, 'vectors': vectors}, ensure_ascii=False))
