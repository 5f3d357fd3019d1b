//! Planning sources: PlanBench, WorfBench, TravelPlanner, WebArena, WebVoyager, WorkBench.

use std::path::Path;

use serde_json::Value;

use super::{
    between, files, read_csv, read_json, read_json_lines, source_err, str_field, Adapted, Source,
};
use crate::Result;
use promptyard::label::Label;

pub(super) fn sources() -> Vec<Source> {
    vec![
        Source {
            name: "planbench",
            licence: "MIT",
            origin:
                "karthikv792/LLMs-Planning (PlanBench) @ b008bc4327112affd525035b9e82f93f54b9b3a3",
            cut: "the domain rules (text before the first `[STATEMENT]`) + the last \
                  `[STATEMENT]` (the problem to solve), up to `My plan is as follows` / `[PLAN]`; \
                  the solved example and the plan dropped. Few-shot and zero-shot copies of one \
                  instance share a group (and are mostly removed as near duplicates).",
            adapter: planbench,
            non_commercial: false,
        },
        Source {
            name: "worfbench",
            licence: "MIT",
            origin: "zjunlp/WorfBench @ 38a6455557128dffceae9a08ffd745f04a4a9d03",
            cut:
                "the user turn's request (after `Task:` / `My problem is:` / `Instruction: [SEP]`; \
                  the room description kept for alfworld) up to the tool or action list, which is \
                  dropped with the system prompt and the gold plan. intercodesql (text-to-SQL \
                  questions) and lumos visual multiple-choice items are left out; lumos maths and \
                  multi-hop questions (tools: Calculator, KnowledgeQuery) are labelled reasoning, \
                  lumos web tasks planning.",
            adapter: worfbench,
            non_commercial: false,
        },
        Source {
            name: "travelplanner",
            licence: "MIT",
            origin: "OSU-NLP-Group/TravelPlanner @ da7c1d41d51bf1d6e8592099bc109c9368b2dfe4",
            cut: "the text after `Query:` in the user turn (regex `Query:(.*)`); the system \
                  prompt, reference information and plan dropped.",
            adapter: travelplanner,
            non_commercial: false,
        },
        Source {
            name: "webarena",
            licence: "Apache-2.0",
            origin: "web-arena-x/webarena @ f62e0b99bc7d9e0cd996d0cf5ebb2225780ec279",
            cut: "`intent`, kept only when it changes state (create, buy, update, post ...) or \
                  chains steps (`then`); information look-ups are left out. Grouped by \
                  `intent_template_id`.",
            adapter: webarena,
            non_commercial: false,
        },
        Source {
            name: "webvoyager",
            licence: "Apache-2.0",
            origin: "MinorJerry/WebVoyager @ 5a7896738c10bfb8b9edccce6bb0e0411f8ae569",
            cut: "`ques`; Wolfram Alpha rows are labelled reasoning; Cambridge Dictionary and \
                  Google Search rows (single look-ups) are left out; the rest are planning.",
            adapter: webvoyager,
            non_commercial: false,
        },
        Source {
            name: "workbench",
            licence: "MIT",
            origin: "olly-styles/WorkBench @ 42f1b6dc18986f47701ca83de2d63dd4f95c59a0",
            cut: "`query`; every multi_domain row, and single-domain rows only when conditional \
                  or multi-step (`if`, `then`, `and`, `after`, `before`, `each`); the gold tool \
                  calls dropped. Grouped by `base_template`.",
            adapter: workbench,
            non_commercial: false,
        },
    ]
}

/// The rules of the planning domain and the final problem of a PlanBench query.
pub fn planbench_cut(query: &str) -> Option<String> {
    const STATEMENT: &str = "[STATEMENT]";
    let first = query.find(STATEMENT)?;
    let last = query.rfind(STATEMENT)?;
    let rules = query[..first].trim();
    let problem = between(
        &query[last..],
        Some(STATEMENT),
        &["My plan is as follows", "[PLAN]"],
    )?;
    Some(if rules.is_empty() {
        problem.to_string()
    } else {
        format!("{rules}\n\n{problem}")
    })
}

fn planbench(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "planbench";
    let mut out = Adapted::default();
    let add = |out: &mut Adapted, domain: &str, instance: &str, kind: &str, query: &str| {
        out.read += 1;
        match planbench_cut(query) {
            Some(text) => out.push(
                NAME,
                Label::Planning,
                format!("{kind}:{domain}:{instance}"),
                format!("{NAME}/{domain}/{instance}"),
                text,
            ),
            None => out.drop("planbench query without [STATEMENT]"),
        }
    };
    for path in files(NAME, dir, "task_1_plan_generation_fewshot.", ".json.gz")? {
        let doc = read_json(NAME, &path)?;
        let domain = str_field(NAME, &path, &doc, "domain")?.to_string();
        let instances = doc
            .get("instances")
            .and_then(Value::as_array)
            .ok_or_else(|| source_err(NAME, &path, "no `instances` list"))?;
        for inst in instances {
            let id = inst
                .get("instance_id")
                .map(Value::to_string)
                .unwrap_or_default();
            let query = str_field(NAME, &path, inst, "query")?;
            add(&mut out, &domain, &id, "fewshot", query);
        }
    }
    let path = dir.join("task_1_plan_generation_zeroshot.jsonl.gz");
    for (_, v) in read_json_lines(NAME, &path)? {
        let domain = str_field(NAME, &path, &v, "domain")?;
        let id = v
            .get("instance_id")
            .map(Value::to_string)
            .unwrap_or_default();
        let query = str_field(NAME, &path, &v, "query")?;
        add(&mut out, domain, &id, "zeroshot", query);
    }
    Ok(out)
}

/// What a WorfBench user turn is cut into.
#[derive(Debug, PartialEq)]
pub enum WorfCut {
    Keep(Label, String),
    Drop(&'static str),
}

/// Where a WorfBench request ends: the start of the tool / action list.
const WORF_ENDS: [&str; 6] = [
    "The action list you can take",
    "The api list you can use",
    "\napi_list:",
    "The tool list you can select from",
    "\nOutput:",
    "[SEP] Search",
];

/// Cuts the request out of the user turn of a WorfBench item from `subset`.
pub fn worfbench_cut(subset: &str, user: &str) -> WorfCut {
    let cut = match subset {
        "intercodesql" => {
            return WorfCut::Drop("worfbench intercodesql: text-to-SQL, not planning")
        }
        "alfworld" => between(user, None, &WORF_ENDS),
        "os" => between(user, Some("My problem is:"), &WORF_ENDS),
        "webshop" => between(user, Some("Instruction: [SEP]"), &WORF_ENDS),
        _ => between(user, Some("Task:"), &WORF_ENDS),
    };
    let Some(text) = cut else {
        return WorfCut::Drop("worfbench request not found");
    };
    let text = text.trim_end_matches('"').trim().to_string();
    if subset == "lumos" {
        if text.contains("There're some choices") || text.contains("The image shows") {
            return WorfCut::Drop("worfbench lumos: visual multiple-choice QA");
        }
        let web_agent = user.contains("CLICK(") || user.contains("TYPE(");
        let label = if web_agent {
            Label::Planning
        } else {
            Label::Reasoning
        };
        return WorfCut::Keep(label, text);
    }
    WorfCut::Keep(Label::Planning, text)
}

fn worfbench(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "worfbench";
    let mut out = Adapted::default();
    for path in files(NAME, dir, "graph_eval.", ".json.gz")? {
        let subset = super::file_name(&path)
            .trim_start_matches("graph_eval.")
            .trim_end_matches(".json.gz")
            .to_string();
        let doc = read_json(NAME, &path)?;
        let items = doc
            .as_array()
            .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
        for (i, item) in items.iter().enumerate() {
            out.read += 1;
            let user = item
                .get("conversations")
                .and_then(Value::as_array)
                .and_then(|turns| {
                    turns
                        .iter()
                        .find(|t| t.get("role").and_then(Value::as_str) == Some("user"))
                })
                .and_then(|t| t.get("content"))
                .and_then(Value::as_str);
            let Some(user) = user else {
                out.drop("worfbench item without user turn");
                continue;
            };
            let id = match item.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => i.to_string(),
            };
            match worfbench_cut(&subset, user) {
                WorfCut::Keep(label, text) => {
                    let origin = format!("{subset}:{i}");
                    out.push(NAME, label, origin, format!("{NAME}/{subset}/{id}"), text);
                }
                WorfCut::Drop(reason) => out.drop(reason),
            }
        }
    }
    Ok(out)
}

/// The user's request in a TravelPlanner chat: the text after `Query:` up to the end of
/// the line (a real or an escaped `\n`).
pub fn travelplanner_query(chat: &str) -> Option<String> {
    between(chat, Some("Query:"), &["\n", "\\n", "\"}", "'}"]).map(str::to_string)
}

fn travelplanner(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "travelplanner";
    let path = dir.join("std_travelplanner.jsonl.gz");
    let mut out = Adapted::default();
    for (line, v) in read_json_lines(NAME, &path)? {
        out.read += 1;
        let chat = match v.get("messages") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(turns)) => turns
                .iter()
                .filter(|t| t.get("role").and_then(Value::as_str) == Some("user"))
                .filter_map(|t| t.get("content").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        };
        match travelplanner_query(&chat) {
            Some(q) => out.push(
                NAME,
                Label::Planning,
                format!("line{line}"),
                format!("{NAME}/{line}"),
                q,
            ),
            None => out.drop("travelplanner chat without Query:"),
        }
    }
    Ok(out)
}

/// Verbs that open a WebArena intent which changes state on the site.
const STATE_VERBS: [&str; 42] = [
    "add",
    "approve",
    "ask",
    "assign",
    "buy",
    "cancel",
    "change",
    "checkout",
    "create",
    "delete",
    "disable",
    "dislike",
    "draft",
    "edit",
    "fill",
    "follow",
    "fork",
    "increase",
    "invite",
    "like",
    "make",
    "mark",
    "modify",
    "notify",
    "open",
    "order",
    "post",
    "promote",
    "rate",
    "re-post",
    "reduce",
    "reply",
    "set",
    "star",
    "start",
    "submit",
    "subscribe",
    "thumbs",
    "update",
    "upvote",
    "plan",
    "book",
];

/// Whether a web-agent intent changes state or chains several steps (rather than looking
/// something up).
pub fn is_state_changing(intent: &str) -> bool {
    let lower = intent.to_lowercase();
    if lower.contains(" then ") || lower.contains(", then") {
        return true;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.first() {
        Some(w) if STATE_VERBS.contains(w) => true,
        // "I want to ...", "Please ...": look for a state verb anywhere.
        Some(&"i") | Some(&"please") | Some(&"we") => words.iter().any(|w| STATE_VERBS.contains(w)),
        _ => false,
    }
}

fn webarena(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "webarena";
    let path = dir.join("test.raw.json.gz");
    let doc = read_json(NAME, &path)?;
    let tasks = doc
        .as_array()
        .ok_or_else(|| source_err(NAME, &path, "expected a JSON list"))?;
    let mut out = Adapted::default();
    for task in tasks {
        out.read += 1;
        let intent = str_field(NAME, &path, task, "intent")?;
        if !is_state_changing(intent) {
            out.drop("webarena information look-up");
            continue;
        }
        let id = task
            .get("task_id")
            .map(Value::to_string)
            .unwrap_or_default();
        let template = task
            .get("intent_template_id")
            .map(Value::to_string)
            .unwrap_or_default();
        out.push(
            NAME,
            Label::Planning,
            id,
            format!("{NAME}/template/{template}"),
            intent.to_string(),
        );
    }
    Ok(out)
}

fn webvoyager(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "webvoyager";
    let path = dir.join("WebVoyager_data.jsonl");
    let mut out = Adapted::default();
    for (_, v) in read_json_lines(NAME, &path)? {
        out.read += 1;
        let site = str_field(NAME, &path, &v, "web_name")?;
        let label = match site {
            "Wolfram Alpha" => Label::Reasoning,
            "Cambridge Dictionary" | "Google Search" => {
                out.drop("webvoyager single look-up site");
                continue;
            }
            _ => Label::Planning,
        };
        let id = str_field(NAME, &path, &v, "id")?;
        let ques = str_field(NAME, &path, &v, "ques")?;
        out.push_single(NAME, label, id.to_string(), ques.to_string());
    }
    Ok(out)
}

/// Whether a single-domain WorkBench query needs more than one action.
pub fn is_multi_step(query: &str) -> bool {
    let lower = format!(" {} ", query.to_lowercase());
    [" if ", " then ", " and ", " after ", " before ", " each "]
        .iter()
        .any(|m| lower.contains(m))
}

fn workbench(dir: &Path) -> Result<Adapted> {
    const NAME: &str = "workbench";
    let mut out = Adapted::default();
    for path in files(NAME, dir, "", "_queries_and_answers.csv")? {
        let domain = super::file_name(&path)
            .trim_end_matches("_queries_and_answers.csv")
            .to_string();
        for (i, row) in read_csv(NAME, &path)?.into_iter().enumerate() {
            out.read += 1;
            let (Some(query), Some(template)) = (row.get("query"), row.get("base_template")) else {
                return Err(source_err(
                    NAME,
                    &path,
                    "missing column `query` or `base_template`",
                ));
            };
            if domain != "multi_domain" && !is_multi_step(query) {
                out.drop("workbench single-action command");
                continue;
            }
            let group = format!("{NAME}/{}", template.trim());
            out.push(
                NAME,
                Label::Planning,
                format!("{domain}:{i}"),
                group,
                query.clone(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planbench_keeps_rules_and_final_problem_only() {
        let q = "I am playing with blocks.\nRules here.\n\n[STATEMENT]\nAs initial conditions A.\n\
                 My goal is B.\n\nMy plan is as follows:\n\n[PLAN]\nstep one\n[PLAN END]\n\n\
                 [STATEMENT]\nAs initial conditions C.\nMy goal is D.\n\nMy plan is as follows:\n\n[PLAN]\n";
        assert_eq!(
            planbench_cut(q).unwrap(),
            "I am playing with blocks.\nRules here.\n\nAs initial conditions C.\nMy goal is D."
        );
        let zero = "Rules.\n\n[STATEMENT]\nAs initial conditions C.\nMy goal is D.\n\n\
                    What is the plan to achieve my goal?";
        assert!(planbench_cut(zero)
            .unwrap()
            .ends_with("What is the plan to achieve my goal?"));
        assert_eq!(planbench_cut("no statement"), None);
    }

    #[test]
    fn worfbench_drops_tool_lists_and_relabels_lumos() {
        let toolbench = "Task: Check if 'example.com' is free.\napi_list:[{'name': 'x'}]";
        assert_eq!(
            worfbench_cut("toolbench", toolbench),
            WorfCut::Keep(Label::Planning, "Check if 'example.com' is free.".into())
        );
        let seal = "Now it's your turn.\nTask: First scan it. Then encrypt it.\"\nOutput:\n\nThe tool list you can select from: []";
        assert_eq!(
            worfbench_cut("seal_tools", seal),
            WorfCut::Keep(Label::Planning, "First scan it. Then encrypt it.".into())
        );
        let alf = "You are in a room.\n\nYour task is to: put a mug in the sink.The action list you can take: 1. go";
        assert_eq!(
            worfbench_cut("alfworld", alf),
            WorfCut::Keep(
                Label::Planning,
                "You are in a room.\n\nYour task is to: put a mug in the sink.".into()
            )
        );
        let os = "Now, I will start a new problem in a new OS. My problem is:\n\nCount files.The action list you can take: bash";
        assert_eq!(
            worfbench_cut("os", os),
            WorfCut::Keep(Label::Planning, "Count files.".into())
        );
        let shop = "WebShop [SEP] Instruction: [SEP] i want pink sheets [SEP] SearchThe action list you can take: search";
        assert_eq!(
            worfbench_cut("webshop", shop),
            WorfCut::Keep(Label::Planning, "i want pink sheets".into())
        );
        let math = "Task: If Jemma sold 400 frames, how much?\nThe api list you can use: {'Calculator(formula)': ''}";
        assert!(matches!(
            worfbench_cut("lumos", math),
            WorfCut::Keep(Label::Reasoning, _)
        ));
        let visual = "Task: What is it? There're some choices: A. cat. The image shows a cat.\nThe api list you can use: {}";
        assert!(matches!(worfbench_cut("lumos", visual), WorfCut::Drop(_)));
        assert!(matches!(
            worfbench_cut("intercodesql", "Task: x"),
            WorfCut::Drop(_)
        ));
    }

    #[test]
    fn travelplanner_query_stops_at_the_line_end() {
        let chat = "[{'role': 'user', 'content': 'Given info...\\nQuery:Please help me plan a trip from A to B.\\n'}]";
        assert_eq!(
            travelplanner_query(chat).unwrap(),
            "Please help me plan a trip from A to B."
        );
        assert_eq!(
            travelplanner_query("Query: Plan 3 days in Rome\nmore"),
            Some("Plan 3 days in Rome".into())
        );
    }

    #[test]
    fn web_tasks_that_change_state_are_kept() {
        assert!(is_state_changing("Submit a merge request for branch a"));
        assert!(is_state_changing("I want to buy the cheapest blue shirt"));
        assert!(is_state_changing("Find the repo, then star it"));
        assert!(!is_state_changing(
            "What is the top-1 best-selling product in 2022"
        ));
        assert!(!is_state_changing("Tell me the count of reviews"));
        assert!(is_multi_step("If Quinn has no meeting, book one"));
        assert!(!is_multi_step("Cancel my first meeting on December 18"));
    }
}
