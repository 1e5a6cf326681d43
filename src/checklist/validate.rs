//! The second stage of loading a checklist: `extends`, `retire`, `[[amend]]` and every
//! semantic problem of the requirements, collected in one pass.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::raw::RawChecklist;
use super::{Checklist, ORGANISATION_KINDS, Requirement, RequirementId, SHIPPED};
use crate::error::{Error, Problem};
use crate::input::{Source, did_you_mean};

impl Checklist {
    /// Both stages, every problem of the file reported at once: the structural ones (unknown
    /// keys, wrong types, …) and the semantic ones of what is left, sorted by line.
    pub(super) fn from_source_depth(source: &Source, depth: usize) -> Result<Self, Error> {
        let (raw, structural) = source.parse_collecting::<RawChecklist>("checklist")?;
        let Some(raw) = raw else {
            return Err(source.invalid("checklist", structural));
        };
        source.merge(
            "checklist",
            structural,
            Self::from_raw_depth(raw, source, depth),
        )
    }

    fn from_raw_depth(raw: RawChecklist, source: &Source, depth: usize) -> Result<Self, Error> {
        let parent = match &raw.extends {
            None => None,
            Some(spec) if depth >= 8 => {
                return Err(Error::Invalid {
                    what: "checklist",
                    file: source.path.clone(),
                    problems: vec![source.problem_at(
                        Some(spec.span()),
                        Some("extends".into()),
                        "more than 8 editions extend each other (a cycle?)",
                    )],
                });
            }
            Some(spec) => {
                let name = spec.get_ref();
                let parent_source =
                    if let Some((id, text)) = SHIPPED.iter().find(|(id, _)| id == name) {
                        Source {
                            path: PathBuf::from(format!("checklists/{id}.toml")),
                            text: (*text).to_string(),
                        }
                    } else {
                        let path = crate::input::relative_to(&source.path, name);
                        Source::read(&path).map_err(|_| Error::Invalid {
                            what: "checklist",
                            file: source.path.clone(),
                            problems: vec![source.problem_at(
                            Some(spec.span()),
                            Some("extends".into()),
                            format!(
                                "`{name}` is neither a shipped edition nor a readable file (`{}`)",
                                path.display()
                            ),
                        )],
                        })?
                    };
                Some(Self::from_source_depth(&parent_source, depth + 1)?)
            }
        };
        Self::validate_with(raw, source, parent)
    }

    /// Second stage: every semantic problem, in one pass.
    pub fn validate(raw: RawChecklist, source: &Source) -> Result<Self, Error> {
        Self::validate_with(raw, source, None)
    }

    /// Second stage for an edition that may extend `parent`.
    #[allow(clippy::needless_pass_by_value)]
    pub fn validate_with(
        raw: RawChecklist,
        source: &Source,
        parent: Option<Checklist>,
    ) -> Result<Self, Error> {
        let mut problems: Vec<Problem> = Vec::new();
        let (mut requirements, mut retired) = match &parent {
            Some(p) => (p.requirements.clone(), p.retired.clone()),
            None => (Vec::new(), Vec::new()),
        };
        if parent.is_none() && (!raw.amendments.is_empty() || !raw.retire.is_empty()) {
            problems.push(source.problem_at(
                None,
                Some("extends".into()),
                "`amend` and `retire` need `extends = \"<edition>\"`",
            ));
        }
        for (n, id) in raw.retire.iter().enumerate() {
            match requirements
                .iter()
                .position(|r| r.id.as_str() == id.get_ref())
            {
                Some(i) => {
                    retired.push(requirements.remove(i).id);
                }
                None => problems.push(source.problem_at(
                    Some(id.span()),
                    Some(format!("retire[{n}]")),
                    format!(
                        "`{}` is not a requirement of the extended edition",
                        id.get_ref()
                    ),
                )),
            }
        }
        for (n, a) in raw.amendments.iter().enumerate() {
            let id = a.id.get_ref();
            let Some(r) = requirements.iter_mut().find(|r| r.id.as_str() == id) else {
                let ids = requirements.iter().map(|r| r.id.as_str());
                let hint = did_you_mean(id, ids)
                    .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
                problems.push(source.problem_at(
                    Some(a.id.span()),
                    Some(format!("amend[{n}].id")),
                    format!("`{id}` is not an active requirement of the extended edition{hint}"),
                ));
                continue;
            };
            let key = format!("amend[{n}]");
            if let Some(t) = &a.title {
                r.title = t.clone();
            }
            if let Some(b) = &a.basis {
                r.basis.clone_from(b);
            }
            if let Some(p) = a.provenance {
                r.provenance = p;
            }
            if let Some(c) = a.category {
                r.category = c;
            }
            if let Some(w) = a.weight {
                if w.is_finite() && w > 0.0 {
                    r.weight = w;
                } else {
                    problems.push(source.problem_at(
                        Some(a.id.span()),
                        Some(format!("{key}.weight")),
                        format!("weight must be positive, got `{w}`"),
                    ));
                }
            }
            if let Some(m) = a.mandatory {
                r.mandatory = m;
            }
            if let Some(m) = &a.method {
                r.method.clone_from(m);
            }
            if let Some(c) = &a.checks {
                for (i, check) in c.iter().enumerate() {
                    for m in check.problems() {
                        problems.push(source.problem_at(
                            Some(a.id.span()),
                            Some(format!("{key}.checks[{i}]")),
                            m,
                        ));
                    }
                }
                r.checks.clone_from(c);
            }
            if let Some(t) = &a.threshold_provenance {
                r.threshold_provenance.clone_from(t);
            }
            for (k, m) in super::threshold::problems(&r.threshold_provenance, &r.checks) {
                problems.push(source.problem_at(
                    Some(a.id.span()),
                    Some(format!("{key}.threshold-provenance.{k}")),
                    m,
                ));
            }
        }
        let edition = raw.edition.get_ref().clone();
        if edition.is_empty()
            || !edition
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(source.problem_at(
                Some(raw.edition.span()),
                Some("edition".into()),
                format!(
                    "edition id `{edition}` must be kebab-case (lowercase letters, digits, `-`)"
                ),
            ));
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        // Only what the extended edition defines; a repeat within this file is a duplicate.
        let (inherited, inherited_retired) = (requirements.len(), retired.len());
        for (n, r) in raw.requirements.into_iter().enumerate() {
            let id = r.id.get_ref().clone();
            let span = r.id.span();
            let key = format!("requirement[{n}]");
            if !RequirementId::is_well_formed(&id) {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.id")),
                    format!("requirement id `{id}` is not of the form `PL3-2`, `SEC-1`, `PL1-2.1`"),
                ));
            }
            if requirements[..inherited]
                .iter()
                .any(|q| q.id.as_str() == id)
                || retired[..inherited_retired]
                    .iter()
                    .any(|q| q.as_str() == id)
            {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.id")),
                    format!(
                        "`{id}` is already defined by the extended edition: change it with `[[amend]]`, never reuse an id"
                    ),
                ));
            }
            if let Some(first) = seen.get(&id) {
                let (line, _) = source.line_col(*first);
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.id")),
                    format!("duplicate requirement id `{id}` (first defined on line {line})"),
                ));
            } else {
                seen.insert(id.clone(), span.start);
            }
            let weight = *r.weight.get_ref();
            if !(weight.is_finite() && weight > 0.0) {
                problems.push(source.problem_at(
                    Some(r.weight.span()),
                    Some(format!("{key}.weight")),
                    format!("weight must be positive, got `{weight}`"),
                ));
            }
            if r.method.is_empty() {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.method")),
                    "`method` must not be empty",
                ));
            }
            if r.checks.is_empty() && !r.retired {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.checks")),
                    "a requirement needs at least one check (use `kind = \"evidence\"` for what no probe can see)",
                ));
            }
            for (i, c) in r.checks.iter().enumerate() {
                for m in c.problems() {
                    problems.push(source.problem_at(
                        Some(span.clone()),
                        Some(format!("{key}.checks[{i}]")),
                        m,
                    ));
                }
            }
            for (k, m) in super::threshold::problems(&r.threshold_provenance, &r.checks) {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.threshold-provenance.{k}")),
                    m,
                ));
            }
            for k in r
                .applies_to
                .iter()
                .filter(|k| !ORGANISATION_KINDS.contains(&k.as_str()))
            {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.applies-to")),
                    format!(
                        "unknown organisation kind `{k}` (one of {})",
                        ORGANISATION_KINDS.join(", ")
                    ),
                ));
            }
            if r.retired {
                retired.push(RequirementId(id));
                continue;
            }
            requirements.push(Requirement {
                id: RequirementId(id),
                title: r.title,
                basis: r.basis,
                provenance: r.provenance,
                category: r.category,
                weight,
                mandatory: r.mandatory,
                method: r.method,
                checks: r.checks,
                threshold_provenance: r.threshold_provenance,
                applies_to: r.applies_to,
                remedy: r.remedy,
            });
        }
        if requirements.is_empty() && problems.is_empty() {
            problems.push(source.problem_at(
                None,
                Some("requirement".into()),
                "the checklist has no active requirement",
            ));
        }
        if !problems.is_empty() {
            return Err(source.invalid("checklist", problems));
        }
        Ok(Checklist {
            edition,
            title: raw.title,
            basis: raw.basis,
            notes: raw.notes,
            source: source.path.clone(),
            extends: parent.map(|p| p.edition),
            retired,
            requirements,
        })
    }
}
