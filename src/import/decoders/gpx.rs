//! GPX tracks (Apple Health's `workout-routes/*.gpx`, or any GPX 1.1 file).
//!
//! Each file becomes a `route` event (its track name and time span) whose points are
//! `track_points`. When a workout in the vault references this file (`attrs.route_file`, set
//! by the Apple Health decoder, which runs first), the route is parented to the workout and
//! the points belong to the workout itself; otherwise they belong to the route event.
//!
//! Points are written as they are read, so a GPX file of any size is imported in bounded
//! memory: the route event goes first, at the file's first point, and its span and point
//! count follow at the end ([`Record::Extent`](crate::model::Record::Extent)), or where a
//! broken file stops.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

use crate::error::Result;
use crate::import::DecodeContext;
use crate::import::decoders::apple_health::normalize_route_path;
use crate::import::decoders::xmlutil::{attrs, get, malformed};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::utf8::Utf8Repair;
use crate::model::{Attrs, Event, EventRef, Handle, TrackPoint, time_seq};

pub struct Gpx {
    route_file: String,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(Gpx {
        route_file: normalize_route_path(ctx.member),
    }))
}

/// The child elements of a `trkpt` whose text is read.
#[derive(Clone, Copy)]
enum Field {
    Time,
    Ele,
    Speed,
    Course,
    HAcc,
    VAcc,
}

impl Field {
    fn of(local_name: &str) -> Option<Field> {
        Some(match local_name {
            "time" => Field::Time,
            "ele" => Field::Ele,
            "speed" => Field::Speed,
            "course" => Field::Course,
            "hAcc" => Field::HAcc,
            "vAcc" => Field::VAcc,
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Point {
    lat: f64,
    lon: f64,
    t_ms: Option<i64>,
    ele: Option<f64>,
    speed: Option<f64>,
    course: Option<f64>,
    h_acc: Option<f64>,
    v_acc: Option<f64>,
    pos: u64,
}

impl Decoder for Gpx {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut repaired = Utf8Repair::new(input);
        // One piece of markup may not span more than MAX_RECORD bytes (src/import/limit.rs).
        let (mut limited, record_start) =
            crate::import::limit::record_limit(&mut repaired, crate::import::limit::MAX_RECORD);
        let result = self.decode_gpx(&mut limited, &record_start, out);
        drop(limited);
        out.report_repairs(&repaired.repairs, repaired.repair_count)?;
        result
    }
}

impl Gpx {
    fn decode_gpx(
        &mut self,
        input: &mut dyn BufRead,
        record_start: &crate::import::limit::RecordStart,
        out: &mut Emitter,
    ) -> DecodeResult {
        let mut reader = Reader::from_reader(input);
        reader.config_mut().trim_text(true);
        let mut buf = Vec::new();
        let mut route = None;
        let mut name: Option<String> = None;
        let mut current: Option<Point> = None;
        let mut text_target: Option<Field> = None;
        let mut in_trk_name = false;
        let mut seen_gpx = false;
        let mut span = Span::default();
        let read = (|| -> DecodeResult {
            loop {
                buf.clear();
                record_start.mark();
                let pos = reader.buffer_position();
                let ev = reader
                    .read_event_into(&mut buf)
                    .map_err(|e| malformed(&reader, e))?;
                let done = match ev {
                    XmlEvent::Start(e) | XmlEvent::Empty(e) if e.local_name().as_ref() == "gpx" => {
                        seen_gpx = true;
                        None
                    }
                    XmlEvent::Start(e) if e.local_name().as_ref() == "trkpt" => {
                        current = Some(point_from(&e, pos));
                        None
                    }
                    XmlEvent::Empty(e) if e.local_name().as_ref() == "trkpt" => {
                        Some(point_from(&e, pos))
                    }
                    XmlEvent::End(e) if e.local_name().as_ref() == "trkpt" => current.take(),
                    XmlEvent::Start(e)
                        if e.local_name().as_ref() == "name" && current.is_none() =>
                    {
                        in_trk_name = true;
                        None
                    }
                    XmlEvent::Start(e) if current.is_some() => {
                        text_target = Field::of(e.local_name().as_ref());
                        None
                    }
                    XmlEvent::Text(t) => {
                        let text = t.xml_content(quick_xml::XmlVersion::Implicit1_0);
                        if in_trk_name && name.is_none() {
                            name = Some(text.trim().to_string());
                        } else if let (Some(p), Some(field)) = (current.as_mut(), text_target) {
                            let v = text.trim();
                            match field {
                                Field::Time => {
                                    p.t_ms = v
                                        .parse::<jiff::Timestamp>()
                                        .ok()
                                        .map(|t| t.as_millisecond())
                                }
                                Field::Ele => p.ele = v.parse().ok(),
                                Field::Speed => p.speed = v.parse().ok(),
                                Field::Course => p.course = v.parse().ok(),
                                Field::HAcc => p.h_acc = v.parse().ok(),
                                Field::VAcc => p.v_acc = v.parse().ok(),
                            }
                        }
                        None
                    }
                    XmlEvent::End(e) => {
                        if e.local_name().as_ref() == "name" {
                            in_trk_name = false;
                        }
                        text_target = None;
                        None
                    }
                    XmlEvent::Eof => return Ok(()),
                    _ => None,
                };
                if let Some(p) = done {
                    let owner = match route {
                        Some((_, owner)) => owner,
                        None => route.insert(self.route(name.clone(), out)?).1,
                    };
                    self.point(p, owner, &mut span, out)?;
                }
            }
        })();
        if let Err(e) = read {
            // The points read so far stay (the file is partial): the route gets their span.
            // Sending it fails only when the writer stopped, and then nothing of it is kept.
            if let Some((route, _)) = route {
                let _ = self.extent(route, &span, out);
            }
            return Err(e);
        }
        if !seen_gpx {
            return Err(DecodeError::fatal(
                "start of file",
                "no <gpx> element: not a GPX file",
            ));
        }
        let route = match route {
            Some((r, _)) => r,
            None => self.route(name.clone(), out)?.0,
        };
        self.extent(route, &span, out)
    }

    /// The route's span and point count, once the points are read.
    fn extent(&self, route: Handle, span: &Span, out: &mut Emitter) -> DecodeResult {
        let mut a = Attrs::new();
        a.set("route_file", self.route_file.clone());
        a.set("points", span.points);
        out.extent(route, span.start_ms, span.end_ms, a.into_json())
    }

    /// Emits the route event (its span comes at the end of the file) and the handle of the
    /// event its points belong to: the workout that references this file, or else the route.
    fn route(
        &self,
        name: Option<String>,
        out: &mut Emitter,
    ) -> Result<(Handle, Handle), DecodeError> {
        let mut a = Attrs::new();
        a.set("route_file", self.route_file.clone());
        let route = out.event(Event {
            kind: "route".into(),
            title: name,
            natural_key: Some(format!("route:{}", self.route_file)),
            attrs: a.into_json(),
            parent: Some(self.workout_ref()),
            locator: Some("gpx".into()),
            ..Default::default()
        })?;
        let owner = out.alias(EventRef::Fallback(
            Box::new(self.workout_ref()),
            Box::new(EventRef::Handle(route)),
        ))?;
        Ok((route, owner))
    }

    fn point(&self, p: Point, owner: Handle, span: &mut Span, out: &mut Emitter) -> DecodeResult {
        let index = span.points;
        span.points += 1;
        let Some(t_ms) = p.t_ms else {
            return out.reject(
                format!("byte {} (trkpt {index})", p.pos),
                "track point without a readable <time>",
                None,
            );
        };
        span.start_ms = Some(span.start_ms.map_or(t_ms, |s| s.min(t_ms)));
        span.end_ms = Some(span.end_ms.map_or(t_ms, |e| e.max(t_ms)));
        if !p.lat.is_finite() || !p.lon.is_finite() {
            return out.reject(
                format!("byte {} (trkpt {index})", p.pos),
                "track point without lat/lon",
                None,
            );
        }
        out.track_point(TrackPoint {
            event: EventRef::Handle(owner),
            seq: time_seq(t_ms, &mut span.prev),
            t_ms,
            lat: p.lat,
            lon: p.lon,
            alt_m: p.ele,
            speed_mps: p.speed.filter(|s| *s >= 0.0),
            course_deg: p.course.filter(|c| *c >= 0.0),
            h_acc_m: p.h_acc,
            v_acc_m: p.v_acc,
            attrs: None,
        })
    }
}

/// What the file's points add up to, as they stream past.
#[derive(Default)]
struct Span {
    points: u64,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    /// The previous point's `(t_ms, seq)` (see [`time_seq`]).
    prev: Option<(i64, i64)>,
}

impl Gpx {
    fn workout_ref(&self) -> EventRef {
        EventRef::Attr {
            kind: "workout".into(),
            key: "route_file".into(),
            value: self.route_file.clone(),
        }
    }
}

fn point_from(e: &quick_xml::events::BytesStart<'_>, pos: u64) -> Point {
    let mut p = Point {
        lat: f64::NAN,
        lon: f64::NAN,
        pos,
        ..Default::default()
    };
    if let Ok(a) = attrs(e) {
        p.lat = get(&a, "lat")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(f64::NAN);
        p.lon = get(&a, "lon")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(f64::NAN);
    }
    p
}
