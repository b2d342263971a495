#!/usr/bin/env python3
"""Writes a synthetic Apple Health export.xml with N samples to stdout, deterministically.

Half the samples are step counts, shared between an Apple Watch (every 5 minutes) and an
iPhone (10-minute samples shifted by 2.5 minutes, so every phone sample overlaps the watch's
and the de-duplication path is exercised on all of them); the other half are heart rate
readings from the watch. Times are written with Europe/Berlin's offsets, across many DST
changes. Usage: gen_export.py N > export.xml
"""
import sys
from datetime import datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    sys.exit("python 3.9+ needed")

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
BERLIN = ZoneInfo("Europe/Berlin")
W = ('sourceName="Bench Watch" sourceVersion="10.3" device="&lt;&lt;HKDevice: 0x1&gt;, '
     'name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.3&gt;"')
P = ('sourceName="Bench iPhone" sourceVersion="17.4" device="&lt;&lt;HKDevice: 0x2&gt;, '
     'name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.4&gt;"')
C = 'creationDate="2024-11-01 09:00:00 +0100"'

def fmt(t):
    local = t.astimezone(BERLIN)
    return local.strftime("%Y-%m-%d %H:%M:%S %z")

out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_DE">\n')
out.write(' <ExportDate value="2024-11-01 09:00:00 +0100"/>\n')
start = datetime(2010, 1, 1, tzinfo=timezone.utc)
steps = N // 2
watch = steps * 2 // 3
phone = steps - watch
hr = N - steps
for i in range(watch):
    s = start + timedelta(minutes=5 * i)
    e = s + timedelta(minutes=5)
    out.write(f' <Record type="HKQuantityTypeIdentifierStepCount" {W} unit="count" {C} '
              f'startDate="{fmt(s)}" endDate="{fmt(e)}" value="{(i * 37) % 400}"/>\n')
for i in range(phone):
    s = start + timedelta(minutes=10 * i, seconds=150)
    e = s + timedelta(minutes=10)
    out.write(f' <Record type="HKQuantityTypeIdentifierStepCount" {P} unit="count" {C} '
              f'startDate="{fmt(s)}" endDate="{fmt(e)}" value="{(i * 53) % 800}"/>\n')
for i in range(hr):
    s = start + timedelta(minutes=3 * i)
    out.write(f' <Record type="HKQuantityTypeIdentifierHeartRate" {W} unit="count/min" {C} '
              f'startDate="{fmt(s)}" endDate="{fmt(s)}" value="{50 + (i * 7) % 90}"/>\n')
out.write('</HealthData>\n')
