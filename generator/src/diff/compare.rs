//! Two summaries compared: every change, located by JSON pointer and by the Rust item it
//! affects, classified for the wire (does it break existing callers of the HTTP API, by the
//! rules oasdiff documents) and for the generated Rust API under semver.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde::Serialize;

use super::change::{Change, ChangeKind, Semver, Wire};
use super::summary::{FieldSummary, OperationSummary, ParamSummary, Summary, TypeSummary};

/// What changed between two summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Every change, the most severe first.
    pub changes: Vec<Change>,
}

impl Changes {
    /// The most severe wire impact; `None` when nothing changed.
    pub fn wire(&self) -> Option<Wire> {
        self.changes.iter().map(|c| c.wire).max()
    }

    /// The semver bump the Rust API needs; `None` when nothing changed.
    pub fn semver(&self) -> Option<Semver> {
        self.changes.iter().map(|c| c.semver).max()
    }

    /// Whether a change breaks callers on the wire or code that uses the crate.
    pub fn is_breaking(&self) -> bool {
        self.wire() == Some(Wire::Breaking) || self.semver() == Some(Semver::Major)
    }
}

/// The changes from `old` to `new`.
pub fn compare(old: &Summary, new: &Summary) -> Changes {
    let by_name = |summary: &Summary| -> Rc<BTreeMap<String, TypeSummary>> {
        Rc::new(summary.types.iter().map(|t| (t.name.clone(), t.clone())).collect())
    };
    let mut out = Found {
        changes: Vec::new(),
        old_types: by_name(old),
        new_types: by_name(new),
        depth: 0,
        retyping: Rc::default(),
    };
    servers(old, new, &mut out);
    schemes(old, new, &mut out);
    operations(old, new, &mut out);
    webhooks(old, new, &mut out);
    types(old, new, &mut out);
    let mut changes = out.changes;
    changes.sort_by(|a, b| (b.wire, b.semver).cmp(&(a.wire, a.semver)).then_with(|| a.pointer.cmp(&b.pointer)));
    Changes { changes }
}

/// The changes found so far, and both sides' types by name.
struct Found {
    changes: Vec<Change>,
    old_types: Rc<BTreeMap<String, TypeSummary>>,
    new_types: Rc<BTreeMap<String, TypeSummary>>,
    /// How many types deep [`Found::retyped`] is comparing.
    depth: usize,
    /// The pairs of types [`Found::retyped`] is comparing now (a pair met again inside itself,
    /// in a recursive type, adds nothing) and has compared (each pair is compared once).
    retyping: Rc<RefCell<Retyping>>,
}

/// What [`Found::retyped`] remembers, by pair of type names.
#[derive(Default)]
struct Retyping {
    comparing: BTreeSet<(String, String)>,
    compared: BTreeMap<(String, String), (Wire, Option<&'static str>)>,
}

impl Found {
    /// What a change of type from `was` to `is` (Rust text) does on the wire. When both name
    /// object or enum types in the same wrappers (a schema moved inline, or replaced by
    /// another), it is what their differences do, by the rules for fields and values; else
    /// it breaks.
    /// A `String` that became an enum narrows what may be sent (and is safe to receive), and an
    /// enum that became a `String` widens what may be received.
    fn retyped(&self, was: &str, is: &str, sent: bool, received: bool) -> (Wire, Option<&'static str>) {
        // Deep enough for objects of objects; deeper counts as a break.
        const DEEPEST: usize = 16;
        let is_enum =
            |types: &BTreeMap<String, TypeSummary>, ty: &str| types.get(bare(ty)).is_some_and(|t| t.kind == "enum");
        if was == "()" && !sent {
            return (Wire::Compatible, Some("a body where there was none: a client that ignored it still can"));
        }
        if wrappers(was) == wrappers(is) {
            if bare(was) == "String" && is_enum(&self.new_types, is) {
                let wire = if sent { Wire::Breaking } else { Wire::Compatible };
                return (wire, Some("the string is now one of listed values"));
            }
            if is_enum(&self.old_types, was) && bare(is) == "String" {
                let wire = if received { Wire::Warning } else { Wire::Compatible };
                return (wire, Some("the values are no longer listed: any string may come"));
            }
        }
        let (Some(old), Some(new)) = (self.old_types.get(bare(was)), self.new_types.get(bare(is))) else {
            return (Wire::Breaking, None);
        };
        if wrappers(was) != wrappers(is) || old.kind != new.kind || self.depth >= DEEPEST {
            return (Wire::Breaking, None);
        }
        let pair = (old.name.clone(), new.name.clone());
        if let Some(known) = self.retyping.borrow().compared.get(&pair) {
            return *known;
        }
        if !self.retyping.borrow_mut().comparing.insert(pair.clone()) {
            // Met again inside itself: its differences are those being found.
            return (Wire::None, None);
        }
        let mut inner = Found {
            changes: Vec::new(),
            old_types: Rc::clone(&self.old_types),
            new_types: Rc::clone(&self.new_types),
            depth: self.depth + 1,
            retyping: Rc::clone(&self.retyping),
        };
        type_changes(old, new, &mut inner);
        let judged = match inner.changes.iter().map(|change| change.wire).max() {
            None | Some(Wire::None) => {
                (Wire::None, Some("the same shape under another name: nothing changes on the wire"))
            }
            Some(wire) => (wire, Some("the wire impact is that of the two types' differences")),
        };
        let mut retyping = self.retyping.borrow_mut();
        retyping.comparing.remove(&pair);
        retyping.compared.insert(pair, judged);
        judged
    }
}

/// The name inside `Vec<..>`, `Option<..>` and maps of a Rust type's text.
fn bare(ty: &str) -> &str {
    let inner = ty.rsplit(['<', ' ']).next().unwrap_or(ty);
    inner.trim_end_matches('>')
}

/// The wrappers around the name (`Vec<Option<`).
fn wrappers(ty: &str) -> &str {
    &ty[..ty.len() - bare(ty).len() - ty.matches('>').count()]
}

/// What is on the wire of a type: its fields (JSON names, types, required), values, variants.
type Shape = (String, Vec<(String, String, bool)>, Vec<String>, Vec<(String, String)>, Option<String>);

fn shape(t: &TypeSummary) -> Shape {
    (
        t.kind.clone(),
        t.fields.iter().map(|f| (f.wire.clone(), f.ty.clone(), f.required)).collect(),
        t.values.clone(),
        t.variants.clone(),
        t.alias.clone(),
    )
}

fn servers(old: &Summary, new: &Summary, out: &mut Found) {
    if old.servers.first() != new.servers.first() {
        let (was, is) =
            (old.servers.first().cloned().unwrap_or_default(), new.servers.first().cloned().unwrap_or_default());
        out.changes.push(
            Change::new(
                ChangeKind::ServerChanged,
                "#/servers/0",
                "servers::DEFAULT",
                format!("the default server changed from {was} to {is}"),
            )
            .note("a client built with `base_url` keeps the URL it was given"),
        );
    }
}

fn schemes(old: &Summary, new: &Summary, out: &mut Found) {
    for (name, setter) in &old.security_schemes {
        if !new.security_schemes.iter().any(|(n, _)| n == name) {
            let at = format!("#/components/securitySchemes/{name}");
            let item = format!("ClientBuilder::{setter}");
            out.changes.push(Change::new(
                ChangeKind::SecuritySchemeRemoved,
                at,
                item,
                format!("the security scheme `{name}` was removed"),
            ));
        }
    }
    for (name, setter) in &new.security_schemes {
        if !old.security_schemes.iter().any(|(n, _)| n == name) {
            let at = format!("#/components/securitySchemes/{name}");
            let item = format!("ClientBuilder::{setter}");
            out.changes.push(Change::new(
                ChangeKind::SecuritySchemeAdded,
                at,
                item,
                format!("the security scheme `{name}` was added"),
            ));
        }
    }
}

fn operations(old: &Summary, new: &Summary, out: &mut Found) {
    // The same operation has the same method and path, or else the same operationId (it moved).
    // Matching by method and path first keeps an operationId the description uses twice (which
    // the generator accepts with a warning) from pairing two operations with one.
    let mut new_left: Vec<&OperationSummary> = new.operations.iter().collect();
    let mut matched: Vec<(&OperationSummary, &OperationSummary)> = Vec::new();
    let mut old_left: Vec<&OperationSummary> = Vec::new();
    for op in &old.operations {
        match new_left.iter().position(|now| now.method == op.method && now.path == op.path) {
            Some(index) => matched.push((op, new_left.remove(index))),
            None => old_left.push(op),
        }
    }
    let mut removed: Vec<&OperationSummary> = Vec::new();
    for op in old_left {
        match new_left.iter().position(|now| now.id == op.id) {
            Some(index) => matched.push((op, new_left.remove(index))),
            None => removed.push(op),
        }
    }
    for op in removed {
        let note = op.deprecated.then_some("it was deprecated");
        out.changes.push(
            Change::new(
                ChangeKind::OperationRemoved,
                op.pointer.clone(),
                method_item(op),
                format!("`{}` (`{} {}`) was removed", op.id, op.method, op.path),
            )
            .note(note),
        );
    }
    for op in new_left {
        out.changes.push(Change::new(
            ChangeKind::OperationAdded,
            op.pointer.clone(),
            method_item(op),
            format!("`{}` (`{} {}`) was added", op.id, op.method, op.path),
        ));
    }
    for (was, is) in matched {
        operation(was, is, out);
    }
}

/// Event callbacks: the API calls your server, so one it no longer sends leaves a handler
/// waiting, and a changed payload is judged as something received.
fn webhooks(old: &Summary, new: &Summary, out: &mut Found) {
    for gone in old.webhooks.iter().filter(|w| !new.webhooks.iter().any(|now| now.name == w.name)) {
        out.changes.push(Change::new(
            ChangeKind::WebhookRemoved,
            gone.pointer.clone(),
            format!("webhooks::parse_{}", gone.function),
            format!("the API no longer sends the `{}` event", gone.name),
        ));
    }
    for now in &new.webhooks {
        let Some(was) = old.webhooks.iter().find(|w| w.name == now.name) else {
            out.changes.push(Change::new(
                ChangeKind::WebhookAdded,
                now.pointer.clone(),
                format!("webhooks::parse_{}", now.function),
                format!("the API sends a new event, `{}`", now.name),
            ));
            continue;
        };
        let item = format!("webhooks::parse_{}", now.function);
        if was.payload != now.payload {
            let (wire, note) = out.retyped(&was.payload, &now.payload, false, true);
            let message = format!("the `{}` event's payload is `{}` (was `{}`)", now.name, now.payload, was.payload);
            out.changes.push(
                Change::new(ChangeKind::WebhookPayloadChanged, now.pointer.clone(), item.clone(), message)
                    .wire(wire)
                    .note(note),
            );
        }
        if was.media_type != now.media_type {
            let message = format!("the `{}` event comes as `{}` (was `{}`)", now.name, now.media_type, was.media_type);
            out.changes.push(Change::new(
                ChangeKind::WebhookMediaTypeChanged,
                now.pointer.clone(),
                item.clone(),
                message,
            ));
        }
        if was.function != now.function {
            let message = format!(
                "the functions of the `{}` event are `*_{}` (were `*_{}`)",
                now.name, now.function, was.function
            );
            out.changes.push(Change::new(ChangeKind::WebhookFunctionRenamed, now.pointer.clone(), item, message));
        }
    }
}

fn method_item(op: &OperationSummary) -> String {
    format!("Client::{}", op.methods.first().map_or("", String::as_str))
}

fn operation(was: &OperationSummary, is: &OperationSummary, out: &mut Found) {
    let at = is.pointer.clone();
    let item = method_item(is);
    let id = &is.id;
    if was.id != is.id {
        out.changes.push(
            Change::new(
                ChangeKind::OperationIdChanged,
                at.clone(),
                item.clone(),
                format!(
                    "`{} {}` changed its operationId from `{}` to `{id}` (its methods: {} for {})",
                    is.method,
                    is.path,
                    was.id,
                    is.methods.join(", "),
                    was.methods.join(", ")
                ),
            )
            .semver(if was.methods == is.methods { Semver::Patch } else { Semver::Major }),
        );
    }
    if (was.method.as_str(), was.path.as_str()) != (is.method.as_str(), is.path.as_str()) {
        out.changes.push(Change::new(
            ChangeKind::OperationPathChanged,
            at.clone(),
            item.clone(),
            format!("`{id}` moved from `{} {}` to `{} {}`", was.method, was.path, is.method, is.path),
        ));
    }
    // With a new operationId, the methods named after it are reported with it.
    let renamed = was.id != is.id;
    for name in was.methods.iter().filter(|m| !renamed && !is.methods.contains(m)) {
        out.changes.push(Change::new(
            ChangeKind::MethodRemoved,
            at.clone(),
            format!("Client::{name}"),
            format!("the method `{name}` of `{id}` is gone (a request media type was removed, or it was renamed)"),
        ));
    }
    for name in is.methods.iter().filter(|m| !renamed && !was.methods.contains(m)) {
        out.changes.push(Change::new(
            ChangeKind::MethodAdded,
            at.clone(),
            format!("Client::{name}"),
            format!("`{id}` has a new method `{name}`"),
        ));
    }
    if was.server != is.server {
        let show = |server: &Option<String>| server.clone().unwrap_or_else(|| "the default server".to_owned());
        out.changes.push(Change::new(
            ChangeKind::OperationServerChanged,
            at.clone(),
            item.clone(),
            format!("`{id}` is sent to {} instead of {}", show(&is.server), show(&was.server)),
        ));
    }
    if was.security != is.security {
        // Credentials now needed, or a way of authenticating no longer accepted, breaks callers;
        // a new way, or none needed, does not.
        let (was_open, is_open) = (was.security.is_empty(), is.security.is_empty());
        let lost = was.security.iter().any(|alternative| !is.security.contains(alternative));
        let kind = if !is_open && (was_open || lost) {
            ChangeKind::OperationSecurityChanged
        } else {
            ChangeKind::OperationSecurityRelaxed
        };
        out.changes.push(Change::new(
            kind,
            format!("{at}/security"),
            item.clone(),
            format!("the credentials `{id}` accepts changed from {:?} to {:?}", was.security, is.security),
        ));
    }
    if !was.deprecated && is.deprecated {
        out.changes.push(
            Change::new(ChangeKind::OperationDeprecated, at.clone(), item.clone(), format!("`{id}` is deprecated"))
                .note("its method is `#[deprecated]`: callers get a warning"),
        );
    }
    if was.docs != is.docs {
        out.changes.push(Change::new(
            ChangeKind::OperationDocsChanged,
            at.clone(),
            item.clone(),
            format!("the documentation of `{id}` changed"),
        ));
    }
    params(was, is, out);
    bodies(was, is, out);
    responses(was, is, out);
}

fn params(was: &OperationSummary, is: &OperationSummary, out: &mut Found) {
    let key = |p: &ParamSummary| (p.location.clone(), p.wire.clone());
    let struct_name = is.params_struct.clone().or_else(|| was.params_struct.clone()).unwrap_or_default();
    let item = |p: &ParamSummary| format!("operations::{struct_name}::{}", p.name);
    // Parameters are a list (of the operation or its path): the pointer is to the list, and the
    // message names the parameter.
    let at = |_: &ParamSummary| format!("{}/parameters", is.pointer);
    let old: BTreeMap<_, _> = was.params.iter().map(|p| (key(p), p)).collect();
    let new: BTreeMap<_, _> = is.params.iter().map(|p| (key(p), p)).collect();
    let id = &is.id;
    for (k, p) in &old {
        if !new.contains_key(k) {
            out.changes.push(Change::new(
                ChangeKind::ParameterRemoved,
                at(p),
                item(p),
                format!("the {} parameter `{}` of `{id}` was removed", p.location, p.wire),
            ));
        }
    }
    for (k, p) in &new {
        let Some(before) = old.get(k) else {
            if p.required && p.default.is_none() {
                out.changes.push(
                    Change::new(
                        ChangeKind::RequiredParameterAdded,
                        at(p),
                        item(p),
                        format!("`{id}` has a new required {} parameter `{}`", p.location, p.wire),
                    )
                    .note("`new` of the parameters struct takes it"),
                );
            } else {
                out.changes.push(
                    Change::new(
                        ChangeKind::OptionalParameterAdded,
                        at(p),
                        item(p),
                        format!("`{id}` has a new optional {} parameter `{}`", p.location, p.wire),
                    )
                    .note("a struct literal without `..Default::default()` no longer compiles; `new` does"),
                );
            }
            continue;
        };
        if before.ty != p.ty {
            let (wire, note) = out.retyped(&before.ty, &p.ty, true, false);
            out.changes.push(
                Change::new(
                    ChangeKind::ParameterTypeChanged,
                    at(p),
                    item(p),
                    format!("the parameter `{}` of `{id}` changed from `{}` to `{}`", p.wire, before.ty, p.ty),
                )
                .wire(wire)
                .note(note),
            );
        }
        if !before.required && p.required {
            out.changes.push(Change::new(
                ChangeKind::ParameterBecameRequired,
                at(p),
                item(p),
                format!("the parameter `{}` of `{id}` is now required", p.wire),
            ));
        }
        if before.required && !p.required {
            out.changes.push(
                Change::new(
                    ChangeKind::ParameterBecameOptional,
                    at(p),
                    item(p),
                    format!("the parameter `{}` of `{id}` is now optional", p.wire),
                )
                .note("its field is now an `Option`"),
            );
        }
        if before.name != p.name {
            out.changes.push(Change::new(
                ChangeKind::ParameterFieldRenamed,
                at(p),
                item(p),
                format!("the field of parameter `{}` is now `{}` (was `{}`)", p.wire, p.name, before.name),
            ));
        }
        if before.default != p.default {
            out.changes.push(Change::new(
                ChangeKind::ParameterDefaultChanged,
                at(p),
                item(p),
                format!(
                    "the default of `{}` of `{id}` changed from {} to {}",
                    p.wire,
                    show(&before.default),
                    show(&p.default)
                ),
            ));
        }
        if !before.deprecated && p.deprecated {
            out.changes.push(Change::new(
                ChangeKind::ParameterDeprecated,
                at(p),
                item(p),
                format!("the parameter `{}` of `{id}` is deprecated", p.wire),
            ));
        }
        if before.docs != p.docs {
            out.changes.push(Change::new(
                ChangeKind::ParameterDocsChanged,
                at(p),
                item(p),
                format!("the documentation of parameter `{}` of `{id}` changed", p.wire),
            ));
        }
    }
}

/// `an enum`, `a struct`.
fn article(kind: &str) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {kind}") } else { format!("a {kind}") }
}

/// `text` as one token of a JSON pointer (RFC 6901: `~` is `~0`, `/` is `~1`).
fn token(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

fn show(value: &Option<serde_json::Value>) -> String {
    value.as_ref().map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn bodies(was: &OperationSummary, is: &OperationSummary, out: &mut Found) {
    let at = format!("{}/requestBody", is.pointer);
    let item = method_item(is);
    let id = &is.id;
    for body in &was.bodies {
        match is.bodies.iter().find(|b| b.media_type == body.media_type) {
            None => out.changes.push(Change::new(
                ChangeKind::RequestMediaTypeRemoved,
                format!("{at}/content/{}", token(&body.media_type)),
                item.clone(),
                format!("`{id}` no longer takes `{}`", body.media_type),
            )),
            Some(now) => {
                if now.ty != body.ty {
                    let (wire, note) = out.retyped(&body.ty, &now.ty, true, false);
                    out.changes.push(
                        Change::new(
                            ChangeKind::RequestBodyTypeChanged,
                            format!("{at}/content/{}", token(&body.media_type)),
                            item.clone(),
                            format!(
                                "the `{}` body of `{id}` changed from `{}` to `{}`",
                                body.media_type, body.ty, now.ty
                            ),
                        )
                        .wire(wire)
                        .note(note),
                    );
                }
                if !body.required && now.required {
                    out.changes.push(Change::new(
                        ChangeKind::RequestBodyBecameRequired,
                        at.clone(),
                        item.clone(),
                        format!("the body of `{id}` is now required"),
                    ));
                }
                if body.required && !now.required {
                    out.changes.push(
                        Change::new(
                            ChangeKind::RequestBodyBecameOptional,
                            at.clone(),
                            item.clone(),
                            format!("the body of `{id}` is now optional"),
                        )
                        .note("the method takes an `Option`"),
                    );
                }
            }
        }
    }
    for body in is.bodies.iter().filter(|b| !was.bodies.iter().any(|w| w.media_type == b.media_type)) {
        let wire = if was.bodies.is_empty() && body.required { Wire::Breaking } else { Wire::Compatible };
        out.changes.push(
            Change::new(
                ChangeKind::RequestMediaTypeAdded,
                format!("{at}/content/{}", token(&body.media_type)),
                item.clone(),
                format!("`{id}` takes `{}`", body.media_type),
            )
            .wire(wire)
            .semver(if was.bodies.is_empty() { Semver::Major } else { Semver::Minor }),
        );
    }
}

fn responses(was: &OperationSummary, is: &OperationSummary, out: &mut Found) {
    let at = |status: &str| format!("{}/responses/{status}", is.pointer);
    let item = method_item(is);
    let id = &is.id;
    let success = |status: &str| status.starts_with('2');
    for response in &was.responses {
        match is.responses.iter().find(|r| r.status == response.status) {
            None if success(&response.status) => out.changes.push(Change::new(
                ChangeKind::SuccessStatusRemoved,
                at(&response.status),
                item.clone(),
                format!("`{id}` no longer answers {}", response.status),
            )),
            None => out.changes.push(Change::new(
                ChangeKind::ErrorStatusRemoved,
                at(&response.status),
                item.clone(),
                format!("`{id}` no longer documents {}", response.status),
            )),
            Some(now) => {
                for media in response.media_types.iter().filter(|m| !now.media_types.contains(m)) {
                    out.changes.push(Change::new(
                        ChangeKind::ResponseMediaTypeRemoved,
                        format!("{}/content/{}", at(&response.status), token(media)),
                        item.clone(),
                        format!("the {} response of `{id}` is no longer `{media}`", response.status),
                    ));
                }
                for media in now.media_types.iter().filter(|m| !response.media_types.contains(m)) {
                    out.changes.push(Change::new(
                        ChangeKind::ResponseMediaTypeAdded,
                        format!("{}/content/{}", at(&response.status), token(media)),
                        item.clone(),
                        format!("the {} response of `{id}` may be `{media}`", response.status),
                    ));
                }
            }
        }
    }
    for response in is.responses.iter().filter(|r| !was.responses.iter().any(|w| w.status == r.status)) {
        let kind =
            if success(&response.status) { ChangeKind::SuccessStatusAdded } else { ChangeKind::ErrorStatusAdded };
        out.changes.push(Change::new(
            kind,
            at(&response.status),
            item.clone(),
            format!("`{id}` documents {}", response.status),
        ));
    }
    if was.success != is.success {
        let (wire, note) = out.retyped(&was.success, &is.success, false, true);
        out.changes.push(
            Change::new(
                ChangeKind::ResponseTypeChanged,
                format!("{}/responses", is.pointer),
                item.clone(),
                format!("`{id}` returns `{}` instead of `{}`", is.success, was.success),
            )
            .wire(wire)
            .note(note),
        );
    }
    if was.error != is.error {
        out.changes.push(Change::new(
            ChangeKind::ErrorTypeChanged,
            format!("{}/responses", is.pointer),
            item,
            format!("the error body of `{id}` is `{}` instead of `{}`", is.error, was.error),
        ));
    }
}

fn types(old: &Summary, new: &Summary, out: &mut Found) {
    let old_by_name: BTreeMap<&str, &TypeSummary> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_by_name: BTreeMap<&str, &TypeSummary> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut removed: Vec<&TypeSummary> =
        old.types.iter().filter(|t| !new_by_name.contains_key(t.name.as_str())).collect();
    let mut added: Vec<&TypeSummary> =
        new.types.iter().filter(|t| !old_by_name.contains_key(t.name.as_str())).collect();
    // A rename, when a removed type's shape is that of exactly one added type and of no other
    // old type.
    let mut old_shapes: std::collections::HashMap<Shape, usize> = std::collections::HashMap::new();
    for t in &old.types {
        *old_shapes.entry(shape(t)).or_default() += 1;
    }
    let mut added_by_shape: std::collections::HashMap<Shape, Vec<usize>> = std::collections::HashMap::new();
    for (index, t) in added.iter().enumerate() {
        added_by_shape.entry(shape(t)).or_default().push(index);
    }
    let mut renamed: Vec<(&TypeSummary, &TypeSummary)> = Vec::new();
    removed.retain(|gone| {
        let gone_shape = shape(gone);
        if old_shapes.get(&gone_shape) != Some(&1) {
            return true;
        }
        let Some(&[only]) = added_by_shape.get(&gone_shape).map(Vec::as_slice) else { return true };
        renamed.push((gone, added[only]));
        added_by_shape.remove(&gone_shape);
        false
    });
    let renamed_to: BTreeSet<&str> = renamed.iter().map(|(_, now)| now.name.as_str()).collect();
    added.retain(|t| !renamed_to.contains(t.name.as_str()));
    for (gone, now) in &renamed {
        out.changes.push(
            Change::new(
                ChangeKind::TypeRenamed,
                now.pointer.clone(),
                format!("models::{}", now.name),
                format!("`{}` is now `{}` (the same shape)", gone.name, now.name),
            )
            .note("schema names are not on the wire"),
        );
        type_changes(gone, now, out);
    }
    for gone in removed {
        out.changes.push(
            Change::new(
                ChangeKind::TypeRemoved,
                gone.pointer.clone(),
                format!("models::{}", gone.name),
                format!("`{}` was removed", gone.name),
            )
            .note("schema names are not on the wire: what used it is reported where it was used"),
        );
    }
    for now in added {
        out.changes.push(Change::new(
            ChangeKind::TypeAdded,
            now.pointer.clone(),
            format!("models::{}", now.name),
            format!("`{}` was added", now.name),
        ));
    }
    for was in &old.types {
        if let Some(is) = new_by_name.get(was.name.as_str()) {
            type_changes(was, is, out);
        }
    }
}

fn type_changes(was: &TypeSummary, is: &TypeSummary, out: &mut Found) {
    let item = format!("models::{}", is.name);
    let name = &is.name;
    if was.kind != is.kind {
        out.changes.push(
            Change::new(
                ChangeKind::TypeKindChanged,
                is.pointer.clone(),
                item,
                format!("`{name}` is now {} (was {})", article(&is.kind), article(&was.kind)),
            )
            .wire(unused_or(is, Wire::Breaking)),
        );
        return;
    }
    if was.docs != is.docs {
        out.changes.push(Change::new(
            ChangeKind::TypeDocsChanged,
            is.pointer.clone(),
            item.clone(),
            format!("the documentation of `{name}` changed"),
        ));
    }
    if was.alias != is.alias {
        out.changes.push(
            Change::new(
                ChangeKind::AliasChanged,
                is.pointer.clone(),
                item.clone(),
                format!(
                    "`{name}` is now `{}` (was `{}`)",
                    is.alias.clone().unwrap_or_default(),
                    was.alias.clone().unwrap_or_default()
                ),
            )
            .wire(unused_or(is, Wire::Breaking)),
        );
    }
    enum_values(was, is, out);
    union_variants(was, is, out);
    fields(was, is, out);
}

fn enum_values(was: &TypeSummary, is: &TypeSummary, out: &mut Found) {
    let item = format!("models::{}", is.name);
    let name = &is.name;
    for value in was.values.iter().filter(|v| !is.values.contains(v)) {
        // Removing a value breaks senders (the server refuses it); a receiver just never sees it.
        let wire = if is.sent { Wire::Breaking } else { unused_or(is, Wire::Compatible) };
        out.changes.push(
            Change::new(
                ChangeKind::EnumValueRemoved,
                format!("{}/enum", is.pointer),
                item.clone(),
                format!("`{name}` lost the value {value:?}"),
            )
            .wire(wire)
            .note("its variant is gone; the value now decodes as the unknown variant"),
        );
    }
    for value in is.values.iter().filter(|v| !was.values.contains(v)) {
        let wire = if is.received { Wire::Warning } else { unused_or(is, Wire::Compatible) };
        let note = "safe in Rust: the enum is `#[non_exhaustive]`, and a client built before decodes the value as its \
                    unknown variant";
        let message = format!("`{name}` has the new value {value:?}");
        out.changes.push(
            Change::new(ChangeKind::EnumValueAdded, format!("{}/enum", is.pointer), item.clone(), message)
                .wire(wire)
                .note(note),
        );
    }
}

fn union_variants(was: &TypeSummary, is: &TypeSummary, out: &mut Found) {
    let item = format!("models::{}", is.name);
    let name = &is.name;
    for (variant, ty) in was.variants.iter().filter(|v| !is.variants.contains(v)) {
        let wire = if is.sent { Wire::Breaking } else { unused_or(is, Wire::Compatible) };
        out.changes.push(
            Change::new(
                ChangeKind::UnionVariantRemoved,
                is.pointer.clone(),
                format!("{item}::{variant}"),
                format!("`{name}` can no longer hold `{ty}`"),
            )
            .wire(wire),
        );
    }
    for (variant, ty) in is.variants.iter().filter(|v| !was.variants.contains(v)) {
        let wire = if is.received { Wire::Warning } else { unused_or(is, Wire::Compatible) };
        out.changes.push(
            Change::new(
                ChangeKind::UnionVariantAdded,
                is.pointer.clone(),
                format!("{item}::{variant}"),
                format!("`{name}` can hold `{ty}`"),
            )
            .wire(wire)
            .note("a `match` on the union needs the new variant"),
        );
    }
}

fn fields(was: &TypeSummary, is: &TypeSummary, out: &mut Found) {
    let name = &is.name;
    let at = |f: &FieldSummary| format!("{}/properties/{}", is.pointer, token(&f.wire));
    let item = |f: &FieldSummary| format!("models::{name}::{}", f.name);
    let old: BTreeMap<&str, &FieldSummary> = was.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let new: BTreeMap<&str, &FieldSummary> = is.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let mut removed: Vec<&FieldSummary> = was.fields.iter().filter(|f| !new.contains_key(f.wire.as_str())).collect();
    let mut added: Vec<&FieldSummary> = is.fields.iter().filter(|f| !old.contains_key(f.wire.as_str())).collect();
    // A rename, when exactly one field went and one came, of the same type, which no other
    // field had (else it is as likely a field removed and another added).
    if removed.len() == 1
        && added.len() == 1
        && removed[0].ty == added[0].ty
        && removed[0].required == added[0].required
        && was.fields.iter().filter(|f| f.ty == removed[0].ty).count() == 1
    {
        let (gone, now) = (removed.remove(0), added.remove(0));
        out.changes.push(
            Change::new(
                ChangeKind::FieldRenamed,
                at(now),
                item(now),
                format!("`{name}.{}` is now `{}` on the wire (`{}` in Rust)", gone.wire, now.wire, now.name),
            )
            .wire(unused_or(is, Wire::Breaking)),
        );
    }
    let direction = direction(is);
    for f in removed {
        let wire = match (is.sent, is.received, f.required) {
            (_, true, true) => Wire::Breaking,
            (_, true, false) => Wire::Warning,
            (true, false, _) => Wire::Warning,
            (false, false, _) => Wire::None,
        };
        out.changes.push(
            Change::new(
                ChangeKind::FieldRemoved,
                at(f),
                item(f),
                format!("`{name}.{}` was removed ({direction})", f.wire),
            )
            .wire(wire),
        );
    }
    for f in added {
        let constructor = f.required && !f.nullable && f.default.is_none();
        let wire = if is.sent && constructor {
            Wire::Breaking
        } else if is.sent || is.received {
            Wire::Compatible
        } else {
            Wire::None
        };
        let (kind, note) = if constructor {
            (ChangeKind::RequiredFieldAdded, "`new` takes it")
        } else {
            (
                ChangeKind::OptionalFieldAdded,
                "a struct literal without `..Default::default()` no longer compiles; `new` does",
            )
        };
        out.changes.push(
            Change::new(kind, at(f), item(f), format!("`{name}` has the new field `{}` ({direction})", f.wire))
                .wire(wire)
                .note(note),
        );
    }
    for (wire_name, before) in &old {
        let Some(f) = new.get(wire_name) else { continue };
        let used = is.sent || is.received;
        let on_wire = |wire: Wire| if used { wire } else { Wire::None };
        if before.ty != f.ty {
            let (wire, note) = out.retyped(&before.ty, &f.ty, is.sent, is.received);
            out.changes.push(
                Change::new(
                    ChangeKind::FieldTypeChanged,
                    at(f),
                    item(f),
                    format!("`{name}.{wire_name}` changed from `{}` to `{}`", before.ty, f.ty),
                )
                .wire(on_wire(wire))
                .note(note),
            );
        }
        if before.name != f.name {
            out.changes.push(Change::new(
                ChangeKind::FieldRustNameChanged,
                at(f),
                item(f),
                format!("the Rust field of `{name}.{wire_name}` is now `{}` (was `{}`)", f.name, before.name),
            ));
        }
        if before.required != f.required {
            let (kind, wire) = if f.required {
                (ChangeKind::FieldBecameRequired, if is.sent { Wire::Breaking } else { Wire::Compatible })
            } else {
                (ChangeKind::FieldBecameOptional, if is.received { Wire::Breaking } else { Wire::Compatible })
            };
            out.changes.push(
                Change::new(
                    kind,
                    at(f),
                    item(f),
                    format!(
                        "`{name}.{wire_name}` is now {} ({direction})",
                        if f.required { "required" } else { "optional" }
                    ),
                )
                .wire(on_wire(wire))
                .note("its Rust type changes between `T` and `Option<T>`"),
            );
        }
        if before.nullable != f.nullable {
            let (kind, wire) = if f.nullable {
                (ChangeKind::FieldBecameNullable, if is.received { Wire::Breaking } else { Wire::Compatible })
            } else {
                (ChangeKind::FieldBecameNotNullable, if is.sent { Wire::Breaking } else { Wire::Compatible })
            };
            out.changes.push(
                Change::new(
                    kind,
                    at(f),
                    item(f),
                    format!(
                        "`{name}.{wire_name}` {} be null ({direction})",
                        if f.nullable { "may now" } else { "may no longer" }
                    ),
                )
                .wire(on_wire(wire)),
            );
        }
        if before.default != f.default {
            out.changes.push(
                Change::new(
                    ChangeKind::FieldDefaultChanged,
                    at(f),
                    item(f),
                    format!(
                        "the default of `{name}.{wire_name}` changed from {} to {}",
                        show(&before.default),
                        show(&f.default)
                    ),
                )
                .wire(on_wire(if is.sent { Wire::Warning } else { Wire::Compatible })),
            );
        }
        if !before.deprecated && f.deprecated {
            out.changes.push(Change::new(
                ChangeKind::FieldDeprecated,
                at(f),
                item(f),
                format!("`{name}.{wire_name}` is deprecated"),
            ));
        }
        if before.docs != f.docs {
            out.changes.push(Change::new(
                ChangeKind::FieldDocsChanged,
                at(f),
                item(f),
                format!("the documentation of `{name}.{wire_name}` changed"),
            ));
        }
    }
}

/// `wire`, or nothing on the wire for a type no operation uses.
fn unused_or(def: &TypeSummary, wire: Wire) -> Wire {
    if def.sent || def.received { wire } else { Wire::None }
}

fn direction(def: &TypeSummary) -> &'static str {
    match (def.sent, def.received) {
        (true, true) => "sent and received",
        (true, false) => "sent",
        (false, true) => "received",
        (false, false) => "used by no operation",
    }
}
