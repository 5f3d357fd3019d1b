//! Deterministic template generator of gateway-style prompts.
//!
//! Public benchmarks look nothing like what people send through an LLM gateway: terse
//! requests for jq filters and spreadsheet formulas, planning asks from finance or HR,
//! incident questions with pasted log lines, and a good share not in English. This module
//! writes such prompts from hand-written templates with varied slots, under four sources so
//! that the effect of each can be measured on its own:
//!
//! | source                | what                                                      |
//! |-----------------------|-----------------------------------------------------------|
//! | `synth_code_requests` | English requests for code in many languages and DSLs       |
//! | `synth_planning`      | English planning requests, work and personal, agent tasks  |
//! | `synth_reasoning`     | English word problems, logic, root cause, estimation       |
//! | `synth_multilingual`  | all three labels in es, de, fr, pt, ja, zh (and it, ko)    |
//!
//! Every instantiation of one template shares `group` = the template id
//! (`synth-LANG-KIND-NNN`), so the pipeline's split-by-group puts each template wholly in one
//! split and the held-out splits measure unseen templates, not unseen slot values. The output
//! depends on nothing but this file: each template draws from its own SplitMix64 stream
//! seeded by a hash of its text, so editing one template leaves the others' texts unchanged
//! (ids are positional: append new templates at the end of their list to keep ids stable).
//! Templates were written fresh for this project, not taken from benchmarks or the dev set.
//!
//! Template syntax: `{pool}` draws from a named slot pool; `{pool#2}` draws a second,
//! different value from the same pool; `{n:LO-HI}` draws an integer. Within one
//! instantiation a repeated placeholder repeats its value. After filling, the first line is
//! restyled as chat traffic is (greetings, thanks, lowercase, dropped punctuation, typos);
//! pasted code below it is left alone.
//!
//! ```
//! let prompts = promptyard_train::data::synth::generate();
//! assert!(prompts.iter().any(|p| p.source == "synth_multilingual"));
//! ```

use std::collections::HashSet;

use crate::data::RawPrompt;
use promptyard::label::Label;
use crate::rng::Rng;
use promptyard::hash::fnv1a64;

/// Source of English requests for code.
pub const SOURCE_CODE: &str = "synth_code_requests";
/// Source of English planning requests.
pub const SOURCE_PLANNING: &str = "synth_planning";
/// Source of English reasoning requests.
pub const SOURCE_REASONING: &str = "synth_reasoning";
/// Source of non-English requests of all three kinds.
pub const SOURCE_MULTILINGUAL: &str = "synth_multilingual";

/// Global seed; changing it reshuffles every slot draw.
const SEED: u64 = 0x5EED_5717_C4A2_0261;

/// Templates of one language and label, written to one source.
struct Family {
    source: &'static str,
    /// ISO 639-1 code; part of each template id.
    lang: &'static str,
    label: Label,
    /// Prompts wanted per template (fewer come out when the slots cannot make that many
    /// distinct texts).
    per_template: usize,
    templates: &'static [&'static str],
}

/// Generates every synthetic prompt, in a fixed order.
pub fn generate() -> Vec<RawPrompt> {
    let mut out = Vec::new();
    for family in FAMILIES {
        let kind = label_tag(family.label);
        for (i, tpl) in family.templates.iter().enumerate() {
            // English sources hold one label each and the multilingual one no English, so
            // `synth-lang-kind-nnn` is unique across all families.
            let id = format!("synth-{}-{kind}-{i:03}", family.lang);
            instantiate(family, &id, tpl, &mut out);
        }
    }
    out
}

/// Short label tag used in template ids.
fn label_tag(label: Label) -> &'static str {
    match label {
        Label::Planning => "plan",
        Label::Reasoning => "reason",
        Label::CodeCompletion => "code",
    }
}

/// Language code (`en`, `es` ...) of a template id made by [`generate`]
/// (`synth-lang-kind-nnn`), for per-language counts and accuracy.
pub fn lang_of_group(group: &str) -> Option<&str> {
    group.split('-').nth(1)
}

fn instantiate(family: &Family, id: &str, tpl: &str, out: &mut Vec<RawPrompt>) {
    let mut rng = Rng(SEED ^ fnv1a64(tpl.as_bytes()));
    let mut seen = HashSet::new();
    // A template with few distinct fills would otherwise repeat itself in greetings only.
    let wanted = family.per_template.min(variety(tpl) * 3 / 2).max(1);
    let mut tries = 0;
    while seen.len() < wanted && tries < wanted * 4 {
        tries += 1;
        // A template naming an unknown pool is a bug caught by the tests; skip it here.
        let Ok(text) = fill(tpl, &mut rng) else {
            return;
        };
        let text = restyle(&text, family.lang, &mut rng);
        if seen.insert(text.clone()) {
            out.push(RawPrompt {
                text,
                label: family.label,
                source: family.source.to_string(),
                origin_id: format!("{id}#{}", seen.len() - 1),
                group: id.to_string(),
                canary: None,
            });
        }
    }
}

/// How many distinct texts the slots of `tpl` can make (saturating; unknown pools count 1).
fn variety(tpl: &str) -> usize {
    let mut keys: Vec<&str> = Vec::new();
    let mut rest = tpl;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        keys.push(&after[..end]);
        rest = &after[end + 1..];
    }
    keys.sort_unstable();
    keys.dedup();
    keys.iter().fold(1usize, |acc, key| {
        let name = key.split('#').next().unwrap_or(key);
        let n = match name.strip_prefix("n:").and_then(|r| r.split_once('-')) {
            Some((lo, hi)) => match (lo.parse::<usize>(), hi.parse::<usize>()) {
                (Ok(lo), Ok(hi)) => hi.saturating_sub(lo) + 1,
                _ => 1,
            },
            None => pool(name).map_or(1, <[&str]>::len),
        };
        acc.saturating_mul(n)
    })
}

/// FNV-1a, 64-bit: a stable hash of the template text for its stream seed.
/// Fills every `{...}` placeholder of `tpl`; `Err` names a placeholder that has no pool.
fn fill(tpl: &str, rng: &mut Rng) -> Result<String, String> {
    let mut out = String::with_capacity(tpl.len() * 2);
    let mut memo: Vec<(&str, String)> = Vec::new();
    let mut rest = tpl;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed brace in {tpl:?}"))?;
        let key = &after[..end];
        let value = match memo.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.clone(),
            None => {
                let taken: Vec<&str> = memo.iter().map(|(_, v)| v.as_str()).collect();
                let v = draw(key, &taken, rng)?;
                memo.push((key, v.clone()));
                v
            }
        };
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One value for placeholder `key` (`pool`, `pool#k` or `n:LO-HI`), avoiding the values
/// in `taken` (those already drawn for this text) while the pool has others.
fn draw(key: &str, taken: &[&str], rng: &mut Rng) -> Result<String, String> {
    let name = key.split('#').next().unwrap_or(key);
    if let Some(range) = name.strip_prefix("n:") {
        let (lo, hi) = range
            .split_once('-')
            .ok_or_else(|| format!("bad range {key}"))?;
        let lo: u64 = lo.parse().map_err(|_| format!("bad range {key}"))?;
        let hi: u64 = hi.parse().map_err(|_| format!("bad range {key}"))?;
        if hi < lo {
            return Err(format!("bad range {key}"));
        }
        return Ok((lo + rng.next_u64() % (hi - lo + 1)).to_string());
    }
    let values = pool(name).ok_or_else(|| format!("unknown pool {name}"))?;
    // `{person}` and `{person#2}` must name two different people.
    let mut value = values[rng.below(values.len())];
    for _ in 0..values.len() * 4 {
        if !taken.contains(&value) {
            break;
        }
        value = values[rng.below(values.len())];
    }
    Ok(value.to_string())
}

/// Chat-style variation: greetings, thanks, lowercase, dropped punctuation and typos, as
/// real traffic has them. Only the first line is touched so pasted code stays intact.
fn restyle(text: &str, lang: &str, rng: &mut Rng) -> String {
    let (head, tail) = match text.find('\n') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let mut head = head.to_string();
    let latin = !matches!(lang, "ja" | "zh" | "ko");
    if latin && rng.chance(15) {
        head = head.to_lowercase();
    }
    if latin && tail.is_empty() && rng.chance(12) && head.ends_with(['.', '?']) {
        head.pop();
        head.truncate(head.trim_end().len());
    }
    if lang == "en" && rng.chance(8) {
        head = typo(&head, rng);
    }
    let (greetings, thanks) = courtesy(lang);
    if rng.chance(15) {
        let greeting = greetings[rng.below(greetings.len())];
        // "Hi, can you ..." rather than "Hi, Can you ..."; German keeps its capitals (nouns).
        if greeting.ends_with(", ")
            && latin
            && lang != "de"
            && !head.starts_with("I ")
            && !head.starts_with("I'")
        {
            head = lowercase_first(&head);
        }
        head = format!("{greeting}{head}");
    }
    let mut text = head + tail;
    if rng.chance(12) {
        let sep = if tail.is_empty() { " " } else { "\n" };
        text.push_str(sep);
        text.push_str(thanks[rng.below(thanks.len())]);
    }
    text
}

/// Lowercases the first letter, skipping leading punctuation such as `¿`.
fn lowercase_first(s: &str) -> String {
    match s.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) => {
            let rest = &s[i + c.len_utf8()..];
            format!("{}{}{rest}", &s[..i], c.to_lowercase())
        }
        None => s.to_string(),
    }
}

/// Swaps two adjacent letters inside one longer ASCII word.
fn typo(s: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].len() >= 5 && words[i].bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    if candidates.is_empty() {
        return s.to_string();
    }
    let w = candidates[rng.below(candidates.len())];
    let mut bytes = words[w].as_bytes().to_vec();
    let at = 1 + rng.below(bytes.len() - 2);
    bytes.swap(at, at + 1);
    let swapped = String::from_utf8(bytes).unwrap_or_else(|_| words[w].to_string());
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[w] = swapped;
    out.join(" ")
}

/// Greeting prefixes and thank-you suffixes per language.
fn courtesy(lang: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match lang {
        "es" => (
            &["Hola, ", "Oye, ", "Buenas, "],
            &["Gracias!", "Mil gracias.", "¡Gracias de antemano!"],
        ),
        "de" => (
            &["Hallo, ", "Hi, ", "Moin, "],
            &["Danke!", "Vielen Dank.", "Danke dir!"],
        ),
        "fr" => (
            &["Bonjour, ", "Salut, ", "Coucou, "],
            &["Merci !", "Merci d'avance.", "Merci beaucoup."],
        ),
        "pt" => (
            &["Oi, ", "Olá, ", "E aí, "],
            &["Valeu!", "Obrigado!", "Obrigada desde já."],
        ),
        "it" => (&["Ciao, ", "Buongiorno, "], &["Grazie!", "Grazie mille."]),
        "ja" => (
            &["すみません、", "お疲れさまです。"],
            &["よろしくお願いします。", "ありがとうございます！"],
        ),
        "zh" => (
            &["你好，", "请问，", "麻烦一下，"],
            &["谢谢！", "多谢。", "辛苦了！"],
        ),
        "ko" => (&["안녕하세요, "], &["감사합니다!"]),
        _ => (
            &[
                "hey, ",
                "Hi! ",
                "Quick one: ",
                "hi team, ",
                "Hello, ",
                "ok so ",
                "Morning! ",
            ],
            &[
                "thanks!",
                "ty",
                "Thanks in advance.",
                "thx",
                "Much appreciated!",
                "cheers",
            ],
        ),
    }
}

/// The values of a named slot pool. Tech words, names, cities and code are shared by all
/// languages; pools with a language prefix (`es_`, `de_` ...) hold natively written phrases.
fn pool(name: &str) -> Option<&'static [&'static str]> {
    let values: &'static [&'static str] = match name {
        // ---- people, places, time ----
        "person" => &["Priya", "Marco", "Aisha", "Tom", "Chen", "Sofia", "Lars", "Fatima", "Diego", "Hannah", "Kenji", "Olu", "Mei", "Rahul", "Grace", "Ivan", "Noor", "Ben"],
        "city" => &["Lisbon", "Kyoto", "Austin", "Berlin", "Mexico City", "Toronto", "Singapore", "Cape Town", "Edinburgh", "Seoul", "Buenos Aires", "Prague", "Denver", "Barcelona", "Melbourne", "Montreal", "Istanbul", "Oslo"],
        "month" => &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "quarter" => &["Q1", "Q2", "Q3", "Q4", "the second half of the year", "the next two quarters"],
        "weekday" => &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "time" => &["02:14 UTC", "09:30", "14:05", "23:47 UTC", "06:00", "17:20 CET", "11:58"],
        "money" => &["$12,000", "$4,500", "€30,000", "£8,200", "$250,000", "$1.2M", "€75,000", "$600"],
        "currency" => &["EUR", "GBP", "JPY", "BRL", "MXN", "CAD", "CHF", "INR"],
        // ---- programming ----
        "proglang" => &["Python", "Go", "Rust", "TypeScript", "Java", "C#", "C++", "Kotlin", "JavaScript", "Ruby", "PHP", "Swift"],
        "fn_task" => &[
            "parses an ISO 8601 timestamp and returns the weekday",
            "removes duplicates from a list but keeps the original order",
            "groups a list of orders by customer id and sums the totals",
            "validates an IBAN",
            "checks whether two strings are anagrams",
            "flattens an arbitrarily nested list",
            "returns the n most frequent words in a text file",
            "converts a CSV file into a list of JSON objects",
            "retries an HTTP GET up to 5 times with exponential backoff",
            "merges overlapping time intervals",
            "computes the median of a stream of numbers",
            "chunks a list into batches of size n",
            "slugifies a blog post title",
            "masks all but the last four digits of a card number",
            "reads a .env file into a map",
            "rate-limits calls to at most 10 per second",
            "returns the business days between two dates",
            "renames every file in a folder to lowercase",
            "computes a SHA-256 checksum of a large file without loading it all into memory",
            "parses a semver string and compares two versions",
            "implements an LRU cache with a fixed capacity",
            "paginates through a REST API until there is no next link",
            "converts Roman numerals to integers",
            "debounces a callback by 300 ms",
        ],
        "algo" => &["binary search", "Dijkstra's shortest path", "a trie with prefix search", "quicksort", "a min-heap", "topological sort", "the Levenshtein distance", "a bloom filter", "union-find", "a ring buffer", "consistent hashing", "a token bucket rate limiter"],
        "code_howto" => &["read a file line by line", "make an HTTP POST with a JSON body", "parse command line flags", "sort a map by value", "run two tasks concurrently and wait for both", "read environment variables with a default", "format a date as YYYY-MM-DD", "write a struct to JSON", "spawn a subprocess and capture stdout", "read a gzip file", "iterate over a directory recursively", "generate a UUID"],
        "class_spec" => &["a bank account with deposit, withdraw and a transaction history", "a shopping cart that applies percentage and fixed discounts", "a thread-safe counter", "a parking lot with small, medium and large spots", "a simple event emitter with on/off/emit", "a matrix with add, multiply and transpose", "an inventory that warns when stock drops below a threshold"],
        "cli_task" => &["counts lines of code per file extension in a directory", "tails a log file and highlights lines containing ERROR", "converts JSON to YAML", "pings a list of hosts and prints which are down", "bulk-renames photos by their EXIF date", "splits a large CSV into files of 10k rows", "checks a list of URLs for broken links"],
        "py_test_fw" => &["pytest", "unittest", "pytest and hypothesis"],
        "test_fw" => &["pytest", "unittest", "Jest", "Vitest", "JUnit 5", "xUnit", "Go's testing package"],
        "edge_case" => &["empty input", "unicode names", "null values", "timezones", "very large files", "negative numbers", "concurrent callers"],
        "bash_task" => &[
            "finds all files over 100MB under /var and sorts them by size",
            "counts the unique IPs in an nginx access log",
            "deletes docker images older than 30 days",
            "replaces foo with bar in every .yaml file recursively",
            "prints the 10 biggest directories in my home folder",
            "kills whatever process is listening on port 8080",
            "renames all .jpeg files to .jpg",
            "extracts the 5th column of a CSV and sums it",
            "lists git branches merged into main and deletes them",
            "watches a folder and runs make when a file changes",
            "checks if a list of domains resolve and prints the failures",
            "backs up a postgres database to S3 with a date in the filename",
            "shows which commits touched a given file in the last month",
            "tars every subfolder into its own archive",
        ],
        "ps_task" => &["lists the members of every AD group containing Admin", "renames computers from a CSV mapping", "reports which mailboxes have forwarding turned on", "uninstalls an app by name on remote machines", "lists all stopped services that are set to automatic", "exports all AD users in an OU to CSV", "finds files modified in the last 24 hours on D:", "restarts IIS app pools that use more than 2GB", "checks disk space on a list of servers and emails a report", "removes user profiles older than 90 days", "installs a list of winget packages"],
        "regex_task" => &["UK postcodes", "email addresses but not ones ending in .test", "dates like 2024-03-15 or 15/03/2024", "IPv4 addresses with valid octets", "semver versions like 1.2.3-beta.1", "US phone numbers with optional country code", "hex colour codes, 3 or 6 digits", "lines that start with ERROR or WARN and contain a request id", "JIRA ticket keys like ABC-1234", "URLs without a trailing slash", "strong passwords: 12+ chars with a digit and a symbol", "duplicate consecutive words"],
        "regex_flavor" => &["PCRE", "JavaScript", "Python", "Go RE2", ".NET", "POSIX ERE"],
        "jq_task" => &["the names of pods that aren't Running", "all users whose email ends in @example.com", "turning an array of objects into a map keyed by id", "the sum of .price across all items", "every key path that has a null value", "the latest release tag from the GitHub API response", "flattening nested tags into one unique list", "CSV output of name, status and age", "grouping events by type and counting them", "the container images used in a deployment manifest"],
        "sql_task" => &["returns the top 5 customers by revenue in the last 90 days", "finds duplicate emails in the users table", "computes monthly active users", "gets each employee's manager name", "calculates a 7-day rolling average of orders", "finds products never ordered", "returns the second highest salary per department", "computes week-over-week growth in signups", "deletes orphaned rows in order_items", "pivots sales by region and quarter", "finds customers who churned after their first purchase", "ranks stores by revenue within each city"],
        "sql_dialect" => &["Postgres", "MySQL", "BigQuery", "Snowflake", "SQL Server", "SQLite"],
        "sql_schema" => &["orders(id, customer_id, total, created_at), customers(id, name, email)", "users(id, email, created_at), events(user_id, type, ts)", "employees(id, name, manager_id, dept_id, salary), departments(id, name)", "products(id, name, price), order_items(order_id, product_id, qty)"],
        "k8s_task" => &["a ConfigMap and a Deployment that mounts it as a file", "a Job that runs database migrations before the app starts", "a ServiceAccount with a Role that can only read pods", "a Service of type LoadBalancer for port 443", "a Deployment with 3 replicas, readiness probe on /healthz and resource limits", "a CronJob that runs a backup image every night at 2am", "an Ingress routing /api to api-svc and / to web-svc with TLS", "a HorizontalPodAutoscaler scaling on 70% CPU between 2 and 20 pods", "a NetworkPolicy that only allows traffic from the frontend namespace", "a StatefulSet for Redis with a persistent volume", "a PodDisruptionBudget keeping at least 2 pods up"],
        "tf_task" => &["a Cloud Run service with a custom domain", "an SQS queue with a dead letter queue", "a Route 53 zone with MX and TXT records", "an AKS cluster with two node pools", "an S3 bucket with versioning, encryption and a lifecycle rule", "a VPC with two public and two private subnets", "a GKE cluster with an autoscaling node pool", "an Azure storage account with a private endpoint", "an IAM role that lets Lambda read from one DynamoDB table", "a CloudFront distribution in front of an S3 website", "an RDS Postgres instance with automated backups"],
        "docker_task" => &["a Flask app with poetry", "a .NET 8 API", "a Spring Boot jar", "a Python worker that needs ffmpeg", "a Next.js app with standalone output", "a FastAPI app with a multi-stage build and a non-root user", "a Node 20 app using pnpm", "a Go service built into a distroless image", "a Rust binary with cached dependencies", "a Django app with gunicorn", "a static React build served by nginx"],
        "gha_task" => &["runs Playwright tests nightly and uploads the report", "builds a Go binary for linux, mac and windows on every tag", "comments the Terraform plan on pull requests", "fails the PR if the coverage drops below 80%", "runs tests on every PR against Python 3.10, 3.11 and 3.12", "builds a Docker image and pushes it to GHCR on tags", "lints and type-checks a TypeScript monorepo with caching", "deploys to Cloudflare Pages on merge to main", "runs cargo test and clippy on Linux and macOS", "publishes a package to npm when a release is created"],
        "excel_task" => &["look up a price by product code from another sheet", "count rows where status is Open and owner is me", "sum sales for the current month only", "flag duplicates in column A", "get the last non-empty value in a column", "calculate working days between two dates excluding holidays", "split full names into first and last name", "return the top 3 values with their names", "highlight rows where the due date has passed", "compute a running total that resets each month"],
        "vba_task" => &["exports the active sheet as a PDF named after cell B1", "sorts every sheet by column C", "hides all rows where column F is zero", "splits one sheet into many by the values in column A", "copies every sheet into its own workbook", "emails each row's owner a reminder from Outlook", "removes empty rows in the active sheet", "merges all CSVs in a folder into one sheet", "protects all sheets with a password", "creates a table of contents sheet with hyperlinks"],
        "pandas_task" => &["find the first and last order date per customer", "bin ages into groups and count per group", "convert a wide table of monthly columns into long format", "compute year-over-year growth per product", "pivot a dataframe so each month is a column", "fill missing values with the previous row per customer", "merge two dataframes on id and keep unmatched rows", "resample minute data to hourly averages", "drop rows where any numeric column is an outlier by IQR", "compute the share of each category within its group", "explode a column of lists into rows", "read 50 CSVs from a folder into one dataframe"],
        "react_task" => &["shows a live-updating chart from a websocket", "lets users drag and drop to reorder a list", "renders a date range picker", "shows toast notifications from a context", "shows a paginated table with sorting", "has a debounced search input that calls an API", "renders a modal with focus trapping", "uploads a file with a progress bar", "implements a dark mode toggle stored in localStorage", "displays a multi-step form with validation", "infinite-scrolls a list of posts"],
        "css_task" => &["make a card grid with equal-height cards", "animate a button on hover without layout shift", "make a table scroll horizontally on small screens", "create a two-column layout with a fixed sidebar", "center a div horizontally and vertically", "make a responsive 3-column grid that collapses to 1 on mobile", "add a sticky header with a shadow on scroll", "style a toggle switch without JavaScript", "truncate text to two lines with an ellipsis", "make a pure CSS loading spinner"],
        "html_task" => &["a search box with autocomplete suggestions", "a contact form with a message textarea and a captcha placeholder", "shipping and billing addresses with a same-as-shipping checkbox", "an email, password and remember-me checkbox", "a file upload and a submit button", "name, date of birth and a country dropdown", "a newsletter signup with accessible labels"],
        "py_error" => &["a KeyError", "a TypeError", "an IndexError", "RecursionError", "UnboundLocalError"],
        "py_snip" => &[
            "def chunks(xs, n):\n    return [xs[i:i+n] for i in range(0, len(xs), n+1)]",
            "def last_login(user):\n    return max(e.ts for e in user.events if e.type == \'login\')",
            "def avg(xs):\n    return sum(xs) / len(xs)",
            "def get_user(users, id):\n    for u in users:\n        if u['id'] == id:\n            return u",
            "def parse(line):\n    k, v = line.split('=')\n    return {k: v}",
            "def fetch(url):\n    r = requests.get(url)\n    return r.json()",
            "def total(items):\n    t = 0\n    for i in range(len(items) + 1):\n        t += items[i]['price']\n    return t",
            "def add_item(item, bucket=[]):\n    bucket.append(item)\n    return bucket",
            "def read_config(path):\n    f = open(path)\n    data = json.load(f)\n    return data",
        ],
        "py_http_snip" => &[
            "def get_rates():\n    resp = requests.get(RATES_URL, timeout=5)\n    resp.raise_for_status()\n    return resp.json()",
            "async def send(payload):\n    async with httpx.AsyncClient() as c:\n        r = await c.post(WEBHOOK, json=payload)\n        return r.status_code",
            "def upload(path):\n    with open(path, 'rb') as f:\n        return s3.put_object(Bucket=BUCKET, Key=path, Body=f)",
        ],
        "js_snip" => &[
            "async function getAll(ids) {\n  const out = [];\n  for (const id of ids) out.push(await fetch(`/api/items/${id}`).then(r => r.json()));\n  return out;\n}",
            "function isEmail(s) {\n  return s.indexOf(\'@\') > 0\n}",
            "function sum(arr) {\n  let s = 0;\n  for (var i = 0; i <= arr.length; i++) s += arr[i];\n  return s;\n}",
            "const getNames = users => users.map(u => u.name).filter(n => n != '')",
            "function loadUser(id, cb) {\n  db.query('SELECT * FROM users WHERE id = ' + id, (err, rows) => {\n    if (err) return cb(err);\n    cb(null, rows[0]);\n  });\n}",
            "export function formatPrice(p) {\n  return '$' + p.toFixed(2)\n}",
        ],
        "go_snip" => &[
            "func Find(users []User, id int) *User {\n\tfor _, u := range users {\n\t\tif u.ID == id {\n\t\t\treturn &u\n\t\t}\n\t}\n\treturn nil\n}",
            "func Fetch(url string) ([]byte, error) {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn io.ReadAll(resp.Body)\n}",
            "func Avg(xs []float64) float64 {\n\tvar s float64\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s / float64(len(xs))\n}",
            "func Sum(xs []int) int {\n\ts := 0\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}",
            "func ReadLines(path string) []string {\n\tdata, _ := os.ReadFile(path)\n\treturn strings.Split(string(data), \"\\n\")\n}",
        ],
        "stub" => &[
            "export function groupBy<T, K extends string>(xs: T[], key: (x: T) => K): Record<K, T[]> {\n",
            "def parse_duration(s: str) -> timedelta:\n    \"\"\"Parse strings like \'1h30m\' or \'45s\'.\"\"\"\n",
            "public static String slugify(String title) {\n    // lowercase, ascii only, words joined by -\n",
            "impl Stack<T> {\n    pub fn push(&mut self, x: T) {\n        todo!()\n    }\n    pub fn pop(&mut self) -> Option<T> {\n",
            "def is_palindrome(s: str) -> bool:\n    \"\"\"Ignore case and non-alphanumerics.\"\"\"\n",
            "function chunk<T>(xs: T[], size: number): T[][] {\n  // split xs into arrays of length size\n",
            "fn word_count(text: &str) -> HashMap<String, usize> {\n    // count words case-insensitively\n",
            "func Reverse(s string) string {\n\t// reverse by runes, not bytes\n",
            "public static int[] twoSum(int[] nums, int target) {\n    // return the indices\n",
            "def business_days(start: date, end: date) -> int:\n    # exclude weekends\n",
        ],
        "json_snip" => &[
            "{\"event\": \"signup\", \"user\": {\"id\": \"u_91\", \"plan\": \"pro\"}, \"ts\": 1718000000, \"meta\": {\"utm\": [\"ads\", \"spring\"]}}",
            "[{\"sku\": \"A-1\", \"stock\": 4, \"warehouses\": [{\"code\": \"BER\", \"qty\": 3}]}]",
            "{\"id\": 42, \"name\": \"Ada\", \"tags\": [\"admin\"], \"address\": {\"city\": \"Oslo\", \"zip\": \"0150\"}}",
            "{\"order_id\": \"A-19\", \"items\": [{\"sku\": \"X1\", \"qty\": 2, \"price\": 9.5}], \"paid\": true}",
        ],
        "sql_snip" => &[
            "SELECT u.email, COUNT(*)\nFROM users u LEFT JOIN orders o ON o.user_id = u.id\nWHERE o.status = \'paid\'\nGROUP BY u.email;",
            "SELECT DISTINCT customer_id, MAX(created_at)\nFROM orders\nGROUP BY customer_id, created_at;",
            "UPDATE accounts SET balance = balance - 100 WHERE id = 1;\nUPDATE accounts SET balance = balance + 100 WHERE id = 2;",
            "SELECT c.name, o.total\nFROM customers c\nJOIN orders o ON o.customer_id = c.id\nJOIN payments p ON p.customer_id = c.id\nWHERE o.created_at > now() - interval '30 days';",
            "SELECT * FROM users WHERE id IN (SELECT user_id FROM events WHERE type = 'login');",
            "SELECT dept, AVG(salary) FROM employees GROUP BY dept HAVING salary > 50000;",
        ],
        "deadlock_snip" => &[
            "async def main():\n    loop = asyncio.get_event_loop()\n    loop.run_until_complete(fetch_all())\n\nasyncio.run(main())",
            "var wg sync.WaitGroup\nfor _, j := range jobs {\n\tgo func() {\n\t\tresults <- work(j)\n\t\twg.Done()\n\t}()\n}\nwg.Wait()\nclose(results)",
            "-- session A\nBEGIN; UPDATE stock SET qty = qty - 1 WHERE sku = \'A\'; UPDATE stock SET qty = qty - 1 WHERE sku = \'B\';\n-- session B\nBEGIN; UPDATE stock SET qty = qty - 1 WHERE sku = \'B\'; UPDATE stock SET qty = qty - 1 WHERE sku = \'A\';",
            "def transfer(a, b, amt):\n    with a.lock:\n        with b.lock:\n            a.bal -= amt\n            b.bal += amt\n\n# thread 1: transfer(x, y, 10)\n# thread 2: transfer(y, x, 5)",
            "ch := make(chan int)\nch <- 1\nfmt.Println(<-ch)",
            "let a = m.lock().unwrap();\nlet b = m.lock().unwrap();\nprintln!(\"{} {}\", a, b);",
            "synchronized void update() {\n  cache.computeIfAbsent(key, k -> {\n    synchronized (other) { return load(k); }\n  });\n}",
        ],
        "slow_snip" => &[
            "def has_dupes(xs):\n    for i in range(len(xs)):\n        for j in range(len(xs)):\n            if i != j and xs[i] == xs[j]:\n                return True\n    return False",
            "users.forEach(u => {\n  u.orders = orders.filter(o => o.userId === u.id)\n})",
            "while True:\n    if queue:\n        handle(queue.pop(0))",
            "for u in users:\n    orders = db.query(\"SELECT * FROM orders WHERE user_id = %s\", u.id)",
            "result = ''\nfor line in lines:\n    result = result + line",
            "items.filter(x => ids.includes(x.id))",
        ],
        // ---- work and life ----
        "team" => &["platform", "payments", "data", "mobile", "SRE", "growth", "security", "billing", "search", "infra", "checkout", "identity"],
        "role" => &["backend engineer", "data analyst", "account executive", "product designer", "customer success manager", "SRE", "finance manager", "recruiter", "support lead", "product manager"],
        "eng_change" => &["SSO via Okta", "the new feature-flag service", "mandatory MFA", "OpenTelemetry tracing", "the new logging pipeline", "Kubernetes 1.30", "Postgres 16", "the shared CI templates", "a new secrets manager"],
        "eng_units" => &["internal apps", "microservices", "repositories", "teams", "clusters", "client sites"],
        "migration" => &["our monolith's billing module into its own service", "from Jenkins to GitHub Actions", "from MySQL 5.7 to Aurora Postgres", "our on-prem file shares to SharePoint", "from Heroku to AWS ECS", "from Datadog to Grafana Cloud", "our CRM from HubSpot to Salesforce", "from Zendesk to Intercom", "our data warehouse from Redshift to Snowflake"],
        "saas" => &["Okta", "Salesforce", "Jira", "Slack", "Snowflake", "Workday", "HubSpot", "Zendesk", "NetSuite", "Notion", "Asana"],
        "fk_col" => &["warehouse_id", "region_id", "campaign_id", "sales_rep_id", "tax_code_id"],
        "acct_tool" => &["NetSuite", "Xero", "QuickBooks Online", "SAP S/4HANA", "Sage Intacct", "Microsoft Dynamics 365"],
        "intranet_tool" => &["Confluence", "SharePoint", "Notion", "Google Sites", "Simpplr"],
        "compliance" => &["SOC 2 Type II", "ISO 27001", "GDPR", "HIPAA", "PCI DSS", "the EU AI Act", "DORA"],
        "product" => &["our new mobile banking app", "a B2B invoicing tool", "an oat-milk protein drink", "our analytics dashboard", "a budgeting app for students", "a smart thermostat", "our API platform", "a plant-based snack line", "a language-learning podcast"],
        "market" => &["Germany", "Brazil", "Japan", "the UK", "the Nordics", "Mexico", "Canada", "Southeast Asia"],
        "region" => &["the Midwest", "DACH", "the Pacific Northwest", "Benelux", "Texas and Oklahoma", "the Nordics", "Iberia", "New England"],
        "support_change" => &["a new macro library", "24/7 coverage", "AI-drafted replies", "a tiered escalation process", "a switch to chat-first support", "a new QA scorecard"],
        "event" => &["a 2-day team offsite", "our annual customer conference", "a hackathon", "a product launch party", "a sales kickoff", "a charity 5k", "a board meeting"],
        "travelers" => &["two adults and a 6-year-old", "my parents in their seventies", "a group of four friends", "me, solo, on a budget", "a couple on a honeymoon", "a family with a toddler"],
        "exam" => &["the AWS Solutions Architect exam", "the GMAT", "the CFA Level I", "my organic chemistry final", "the JLPT N3", "the bar exam", "the IELTS", "the CKA"],
        "race" => &["half marathon", "marathon", "10k", "sprint triathlon", "100 km cycling sportive", "trail ultra"],
        "life_goal" => &["launching a podcast", "learning to play guitar", "renovating our kitchen", "writing a novel", "getting my finances in order", "starting a vegetable garden", "learning Spanish to B1", "switching careers into data science"],
        "agent_find" => &["the three cheapest direct flights", "four-star hotels under $200 a night near the venue", "the last six invoices from our AWS account", "every open Jira ticket labelled P1", "our top 20 customers by ARR in Salesforce", "all contracts renewing next quarter", "the latest quarterly reports of our three main competitors"],
        "agent_then" => &["compare them in a table", "check which ones conflict with my calendar", "summarise the key numbers", "flag anything over budget", "draft a short summary for each", "put them into a shared spreadsheet"],
        // ---- reasoning ----
        "claim" => &["a 50% loss followed by a 50% gain gets you back to even", "doubling the number of servers halves latency", "you lose most body heat through your head", "a higher interest rate always makes a 15-year mortgage better than a 30-year one", "adding more people to a late project makes it later", "if a test is 99% accurate a positive result means you are 99% likely to have the disease", "compound interest doubles your money in 72 divided by the rate years", "a 20% discount then a 20% markup gives the original price", "median income is always lower than mean income", "two independent 90%-available services in series give 90% availability"],
        "fermi_thing" => &["piano tuners", "coffee shops", "dentists", "EV charging points", "wedding photographers", "delivery drivers on a Friday night", "dogs"],
        "service" => &["checkout API", "login service", "search cluster", "payments worker", "image resizer", "GraphQL gateway", "nightly ETL job"],
        "change" => &["a config push that lowered the connection pool to 10", "a deploy that enabled HTTP/2", "the certificate rotation", "a schema migration adding an index", "a Node upgrade from 18 to 20", "a DNS change moving to a new load balancer", "turning on request logging"],
        "log_lines" => &[
            "ERROR pool: timeout acquiring connection after 30000ms\nWARN  retrying request id=8f2 attempt=3",
            "OOMKilled: container api exceeded memory limit 512Mi\nBack-off restarting failed container",
            "upstream prematurely closed connection while reading response header\n502 Bad Gateway",
            "x509: certificate has expired or is not yet valid\nTLS handshake error from 10.0.3.7",
            "deadlock detected\nDETAIL: Process 4121 waits for ShareLock on transaction 99812",
            "java.lang.OutOfMemoryError: GC overhead limit exceeded\nFull GC (Ergonomics) 7.8G->7.7G",
            "ECONNRESET socket hang up\nretry budget exhausted for host payments.internal",
        ],
        "ansible_task" => &["installs nginx and deploys a site from git", "creates users from a list with their ssh keys", "patches Ubuntu servers one at a time and reboots if needed", "rotates a TLS certificate across a fleet"],
        "awk_task" => &["sums the 3rd column grouped by the 1st", "prints lines where the response time field is over 500", "counts requests per status code in an access log", "prints the average of column 2 ignoring the header"],
        "gas_task" => &["emails me when a new row is added to a sheet", "copies form responses into a per-month tab", "creates calendar events from rows in a sheet", "pulls a JSON API into a sheet every morning"],
        "decorator_task" => &["retries a function on exceptions with exponential backoff", "times a function and logs the duration", "caches results for 60 seconds", "checks that the caller has an admin role"],
        "endpoint_task" => &["creates an order and validates the payload", "returns paginated search results", "uploads an avatar and resizes it", "soft-deletes a user and revokes their tokens"],
        "db_migration" => &["splits a full_name column into first_name and last_name", "adds a unique index on lower(email) without locking the table", "renames the table customer to customers with a compatibility view", "adds a NOT NULL column with a default and backfills it"],
        "dax_task" => &["year-to-date sales", "sales same period last year", "distinct customers per month", "the running total of revenue"],
        "git_task" => &["undo the last commit but keep the changes", "squash my last 4 commits into one", "move my uncommitted changes to a new branch", "remove a file from history that contains a secret", "find which commit introduced a bug with bisect"],
        "daemon" => &["a Python API started with uvicorn", "a Go binary in /opt/app", "a Node worker that reads from Redis", "a backup script that should run as its own user"],
        "schema_thing" => &["a library with books, authors and loans", "a recipe app with ingredients and ratings", "a ticketing system with projects, issues and comments", "an e-commerce store with products, carts and orders"],
        "csv_thing" => &["sales rows (date, region, amount)", "employee records (name, dept, salary)", "server metrics (host, ts, cpu, mem)", "bank transactions (date, description, amount)"],
        "csv_out" => &["the total per month", "the top 3 per group", "the average and max per column", "any rows with missing values"],
        "roadmap_thing" => &["internal developer platform", "data platform", "mobile app", "customer support tooling", "design system", "billing system"],
        "plan_steps" => &[
            "1. export users from the old DB\n2. transform and load into the new schema\n3. dual-write for a week\n4. switch reads\n5. delete the old DB",
            "1. freeze config changes\n2. upgrade staging\n3. upgrade one production region\n4. upgrade the rest in one go\n5. unfreeze",
            "1. announce the change\n2. enable SSO for IT\n3. enable SSO for everyone on Monday 9am\n4. disable passwords the same day",
        ],
        "deploy_snip" => &[
            "#!/bin/bash\nssh prod1 'cd /srv/app && git pull && systemctl restart app'\nssh prod2 'cd /srv/app && git pull && systemctl restart app'",
            "kubectl set image deploy/api api=registry/api:$TAG\nkubectl rollout status deploy/api",
        ],
        "cron_snip" => &[
            "0 1 * * * /opt/etl/extract.sh\n30 2 * * * /opt/etl/transform.py\n0 4 * * * /opt/etl/load.sh && /opt/etl/notify.sh",
            "*/15 * * * * /srv/sync_crm.sh\n0 3 * * 0 /srv/rebuild_indexes.sh\n0 6 * * 1-5 /srv/send_reports.py",
        ],
        "regex_snip" => &[
            "regex: ^\\d{4}-\\d{2}-\\d{2}$\ntest string: 2024-3-5",
            "regex: ^[a-z]+@[a-z]+\\.com$\ntest string: Ana.Silva@Example.co.uk",
            "regex: (\\d+)\\.(\\d+)\ntest string: version 10",
        ],
        "history_event" => &["the Berlin Wall fell", "the first iPhone went on sale", "euro banknotes were introduced", "Windows 95 launched", "the first Harry Potter book came out", "the London Olympics took place", "the first Moon landing happened", "Google was founded"],
        "metric" => &["conversion rate", "signup rate", "average order value", "day-30 retention", "trial-to-paid rate"],
        "launch" => &["redesign", "new pricing page", "checkout change", "new onboarding flow", "app update"],
        "confounder" => &["traffic from paid ads doubled", "a competitor ran a big sale", "the site was down for three hours", "we changed the attribution model", "a public holiday fell on Monday"],
        "symptom" => &["p99 latency doubled but CPU is flat", "error rate spikes every hour on the hour", "only users in Asia see timeouts", "memory grows steadily until the pod restarts every 6 hours", "the job succeeds locally but fails in CI", "writes succeed but reads return stale data for a few seconds", "disk fills up on Sundays only"],
        "plan_a" => &["$29 a month with a $99 setup fee", "$300 a year paid upfront", "$25 a month with a 10% price increase each year", "$0 upfront and $0.02 per transaction"],
        "plan_b" => &["$35 a month with no setup fee", "$79 a quarter", "$280 a year with a one-time $120 onboarding cost", "$40 a month flat"],
        "fe_framework" => &["Vue 3", "Svelte", "Angular", "Nuxt", "SvelteKit", "SolidJS", "Vue 2 options API"],
        "r_task" => &["reads a folder of CSVs, binds them and plots monthly totals with ggplot2", "fits a logistic regression on churn and prints the odds ratios", "runs a t-test per group and writes the p-values to a table", "reshapes a wide survey table into long format with tidyr", "computes a 7-day rolling mean per store with dplyr", "makes a faceted boxplot of response time by region", "imputes missing values with the median per group"],
        "sed_task" => &["deletes every line that starts with #", "replaces http:// with https:// in all .html files in place", "prints only the lines between START and END", "strips trailing whitespace from every line", "swaps the first two comma-separated fields", "removes blank lines at the end of a file", "comments out the line containing PermitRootLogin"],
        "mongo_task" => &["counts orders per status for the last 30 days", "finds users with more than 3 failed logins today", "groups sales by month and sums the amount", "unwinds the items array and returns the top 10 SKUs by quantity", "joins orders with customers using $lookup and keeps only German customers", "finds documents where the tags array contains both urgent and billing", "returns the latest event per device"],
        "promql_task" => &["shows the 5xx error rate per service over 5 minutes", "alerts when p95 latency is above 500ms for 10 minutes", "shows the top 5 pods by memory usage", "computes the ratio of failed to total jobs per queue", "predicts when the disk on each node fills up", "shows CPU throttling per container", "counts pods restarting more than 3 times in an hour"],
        "helm_task" => &["a web app with an ingress, HPA and a configurable image tag", "a worker deployment whose replica count comes from values", "Redis with persistence turned off for dev", "a CronJob whose schedule and command come from values", "an app with per-environment values for dev, staging and prod", "a service with secrets pulled from an existing Secret"],
        "make_task" => &["builds, tests and lints a Go service and has a help target", "compiles every .c file in src/ into build/ with dependency tracking", "runs docker compose up, migrations and seeds in order", "builds LaTeX docs and cleans the aux files", "wraps poetry install, pytest and ruff", "cross-compiles a Rust binary for three targets"],
        "mobile_task" => &["shows a list of contacts with pull-to-refresh", "asks for location permission and shows the current city", "caches images on disk with a size limit", "shows a login screen with biometric unlock", "schedules a local notification every morning at 8", "plays an audio file with a seek bar"],
        "mobile_lang" => &["Kotlin with Jetpack Compose", "SwiftUI", "Swift with UIKit", "Flutter", "React Native", "Kotlin Multiplatform"],
        "niche_lang" => &["Elixir", "Scala", "Haskell", "Lua", "OCaml", "F#", "Clojure", "Julia", "Dart", "Perl", "Erlang", "Zig", "Nim"],
        "matlab_task" => &["low-pass filters a signal and plots before and after", "reads an Excel sheet and fits a polynomial of degree 3", "solves a system of ODEs for a damped pendulum", "computes the FFT of a WAV file and plots the spectrum", "finds peaks in a noisy sensor trace"],
        "sas_task" => &["merges two datasets by customer id and keeps unmatched rows", "computes means and counts by region with PROC MEANS", "recodes age into bands and runs a frequency table", "transposes monthly columns into rows"],
        "spark_task" => &["deduplicates events by id keeping the latest timestamp", "joins a large clickstream table with a small lookup table using a broadcast join", "computes daily active users from parquet files partitioned by date", "writes a dataframe to Delta partitioned by country", "explodes a JSON array column and counts values", "computes sessionisation with a 30 minute gap"],
        "dbt_task" => &["an incremental model of orders keyed on order_id", "a staging model that renames and casts the raw users columns", "a snapshot of the customers table", "a test that revenue is never negative", "a macro that converts cents to dollars", "a model joining subscriptions and invoices into monthly MRR"],
        "airflow_task" => &["pulls a CSV from S3 every hour, loads it into Postgres and then runs a dbt job", "runs three extract tasks in parallel, then a transform, then sends a Slack message", "waits for a file sensor and then triggers a Spark job", "backfills a daily partition for the last 30 days with retries", "calls an API, branches on the response and emails on failure"],
        "grafana_task" => &["a panel showing request rate by status code", "a dashboard JSON with CPU, memory and disk panels per host", "a Loki query counting ERROR lines per app", "a stat panel with the current error budget", "a template variable listing all namespaces"],
        "latex_task" => &["a table with merged header cells and decimal alignment", "a two-column article with a full-width figure", "a beamer slide with two columns and an image", "a macro for vectors in bold", "an algorithm block with line numbers", "a CV layout with dates in the left margin"],
        "pq_task" => &["unpivots all month columns", "merges two tables on customer id and expands the name column", "combines every Excel file in a folder into one table", "splits a column by delimiter into rows", "adds a fiscal year column starting in April"],
        "nginx_task" => &["redirects all http traffic to https", "rate-limits /login to 5 requests per minute per IP", "serves a single-page app with a fallback to index.html", "load-balances three upstream app servers with health checks", "adds security headers and gzip", "proxies websockets on /ws"],
        "cron_when" => &["every 15 minutes on weekdays", "at 2:30 on the first day of every month", "every Sunday at midnight", "every hour between 9 and 17", "on the last weekday of each month at 18:00"],
        "app_preamble" => &["[Sent from the IDE assistant]", "Context: user is in the Data team workspace.", "Ticket #4821 (internal tools)", "From the ops Slack bot:", "User message (via the VS Code extension):", "[helpdesk form]"],
        "awk_more" => &["prints the last field of every line", "prints lines longer than 120 characters with their line number", "joins two files on the first column", "converts a pipe-delimited file to CSV"],
        "lua_task" => &["a Neovim keymap that toggles relative line numbers", "a Redis Lua script that atomically increments a counter with an expiry", "an nginx/OpenResty handler that checks an API key header", "a Roblox script that gives players a coin on touch"],
        "shop_item" => &["a 27-inch 4K monitor", "noise-cancelling headphones", "a standing desk", "a USB-C docking station", "running shoes in size 42", "a cast iron pan", "a kids' bike helmet"],
        "shop_site" => &["the web shop", "Amazon", "the office supplies portal", "the outdoor store's site", "eBay"],
        "crm_thing" => &["deals over $50k that haven't moved in 30 days", "leads from last week's webinar", "accounts with renewal in the next 60 days", "opportunities owned by people who left the company"],
        "tracker_thing" => &["overdue tasks in the Q3 launch project", "unassigned bugs labelled customer-reported", "tickets blocked for more than a week", "epics with no due date"],
        "travel_site" => &["Booking.com", "the company travel portal", "Skyscanner", "Expedia", "the airline's website"],
        "deduce_obj" => &["a red, a green and a blue book", "a hawk, an owl and a crow", "a truck, a sedan and a bus", "an apple, a pear and a plum", "a mug, a vase and a lamp"],
        "athlete_sport" => &["a goalkeeper caught the ball with his hands inside the penalty area", "the striker scored a touchdown", "the point guard hit a three-pointer", "the goalie served an ace", "the quarterback threw a perfect pass for a touchdown", "the tennis player was called offside"],
        "tf_puzzle" => &["terraform plan wants to destroy and recreate the RDS instance after I only changed a tag", "terraform apply says the S3 bucket already exists although it's in state", "the plan shows a diff on every run for the same security group rule", "count.index changed and now terraform wants to replace three VMs"],
        "promql_puzzle" => &["rate(http_requests_total[1m]) returns nothing but the counter clearly exists", "sum(rate(errors[5m])) / sum(rate(requests[5m])) is sometimes above 1", "my alert on p95 latency never fires even during incidents", "the graph drops to zero every time a pod restarts"],
        "shell_puzzle" => &["sed -i 's/a/b/' file works on Linux but fails on my Mac", "awk '{s+=$3} END {print s}' prints a float like 1.2e+07", "my cron job works when I run it by hand but does nothing from cron", "grep -c finds 12 matches but wc -l on the same grep says 14"],
        _ => return multilingual_pool(name),
    };
    Some(values)
}

/// Every template family, in output order.
const FAMILIES: &[Family] = &[
    Family {
        source: SOURCE_CODE,
        lang: "en",
        label: Label::CodeCompletion,
        per_template: 26,
        templates: EN_CODE,
    },
    Family {
        source: SOURCE_PLANNING,
        lang: "en",
        label: Label::Planning,
        per_template: 28,
        templates: EN_PLANNING,
    },
    Family {
        source: SOURCE_REASONING,
        lang: "en",
        label: Label::Reasoning,
        per_template: 28,
        templates: EN_REASONING,
    },
    multilingual("es", Label::CodeCompletion, 12, ES_CODE),
    multilingual("es", Label::Planning, 12, ES_PLANNING),
    multilingual("es", Label::Reasoning, 12, ES_REASONING),
    multilingual("de", Label::CodeCompletion, 12, DE_CODE),
    multilingual("de", Label::Planning, 12, DE_PLANNING),
    multilingual("de", Label::Reasoning, 12, DE_REASONING),
    multilingual("fr", Label::CodeCompletion, 12, FR_CODE),
    multilingual("fr", Label::Planning, 12, FR_PLANNING),
    multilingual("fr", Label::Reasoning, 12, FR_REASONING),
    multilingual("pt", Label::CodeCompletion, 12, PT_CODE),
    multilingual("pt", Label::Planning, 12, PT_PLANNING),
    multilingual("pt", Label::Reasoning, 12, PT_REASONING),
    multilingual("ja", Label::CodeCompletion, 12, JA_CODE),
    multilingual("ja", Label::Planning, 12, JA_PLANNING),
    multilingual("ja", Label::Reasoning, 12, JA_REASONING),
    multilingual("zh", Label::CodeCompletion, 12, ZH_CODE),
    multilingual("zh", Label::Planning, 12, ZH_PLANNING),
    multilingual("zh", Label::Reasoning, 12, ZH_REASONING),
    multilingual("it", Label::CodeCompletion, 12, IT_CODE),
    multilingual("it", Label::Planning, 12, IT_PLANNING),
    multilingual("it", Label::Reasoning, 12, IT_REASONING),
    multilingual("ko", Label::CodeCompletion, 12, KO_CODE),
    multilingual("ko", Label::Planning, 12, KO_PLANNING),
    multilingual("ko", Label::Reasoning, 12, KO_REASONING),
];

/// A family of the multilingual source.
const fn multilingual(
    lang: &'static str,
    label: Label,
    per_template: usize,
    templates: &'static [&'static str],
) -> Family {
    Family {
        source: SOURCE_MULTILINGUAL,
        lang,
        label,
        per_template,
        templates,
    }
}

const EN_CODE: &[&str] = &[
    "write a {proglang} function that {fn_task}",
    "Can you write a function in {proglang} that {fn_task}? Please include type hints or types where the language has them.",
    "{proglang}: function that {fn_task}. just the code pls",
    "I need a small helper that {fn_task}. We're on {proglang}. Keep it dependency-free if possible.",
    "give me the code for something that {fn_task} in {proglang}, no explanation needed",
    "Can you give me a bash one-liner that {bash_task}?",
    "bash script that {bash_task}",
    "need a shell command that {bash_task}. macOS, so BSD tools",
    "PowerShell script that {ps_task}",
    "Write me a PowerShell one-liner that {ps_task}, output as a table.",
    "regex that matches {regex_task}",
    "Need a {regex_flavor} regex for {regex_task}. Please also show a couple of test strings it should and shouldn't match.",
    "jq filter for {jq_task}",
    "jq: {jq_task}",
    "Write a {sql_dialect} query that {sql_task}. Tables: {sql_schema}",
    "sql that {sql_task} ({sql_dialect})",
    "Write Kubernetes YAML for {k8s_task}.",
    "k8s manifest: {k8s_task}",
    "Terraform for {tf_task}, please. Use variables for the names.",
    "write terraform: {tf_task}",
    "Write a Dockerfile for {docker_task}.",
    "dockerfile for {docker_task} pls, image size matters",
    "GitHub Actions workflow that {gha_task}",
    "Can you write a .github/workflows yml that {gha_task}?",
    "Excel formula to {excel_task}",
    "google sheets formula to {excel_task}",
    "What formula do I put in column D to {excel_task}? Data starts in row 2.",
    "VBA macro that {vba_task}",
    "pandas: how do I {pandas_task}? show code",
    "Write pandas code to {pandas_task}. The dataframe is called df.",
    "React component (TypeScript, hooks) that {react_task}",
    "build me a react component that {react_task}, tailwind for styling",
    "CSS to {css_task}",
    "html + css for a form with {html_task}",
    "fix this function:\n{py_snip}",
    "This throws {py_error} sometimes, can you fix it and return the corrected code?\n{py_snip}",
    "convert this Python to Go:\n{py_snip}",
    "port this to {proglang}:\n{js_snip}",
    "Rewrite this in idiomatic Rust:\n{go_snip}",
    "add retries with exponential backoff to this function:\n{py_http_snip}",
    "Add proper error handling and logging to this:\n{py_http_snip}",
    "refactor this to async/await:\n{js_snip}",
    "write {py_test_fw} tests for this function, cover {edge_case}:\n{py_snip}",
    "Add type hints and a docstring to this:\n{py_snip}",
    "complete this function:\n{stub}",
    "finish this:\n{stub}",
    "implement {algo} in {proglang}",
    "Could you implement {algo} in {proglang} with a few unit tests?",
    "I need a {proglang} class for {class_spec}.",
    "write a CLI in {proglang} that {cli_task}",
    "small {proglang} script that {cli_task}. read args from the command line",
    "how do i {code_howto} in {proglang}? code snippet please",
    "snippet to {code_howto} in {proglang}",
    "Generate a {proglang} struct / data class for this JSON:\n{json_snip}",
    "Rewrite this SQL so it doesn't return duplicate rows and runs faster:\n{sql_snip}",
    "make this faster, it's O(n^2):\n{slow_snip}",
    "Write a migration that adds a nullable column {fk_col} to the orders table with an index, then backfills it in batches of {n:500-5000}.",
    "cron expression for every {weekday} at {time}, and the crontab line to run /opt/backup.sh",
    "Write an nginx server block that proxies /api to localhost:{n:3000-9000} and serves static files from /var/www",
    "write a Makefile with build, test, lint and docker targets for a {proglang} project",
    "I'm not a developer, but I need an Excel formula that can {excel_task}. Could you write it and tell me where to paste it?",
    "Our intern left this half-written. Can you complete it so it {fn_task}?\n{stub}",
    "write a python script that calls the {saas} API and exports everything to CSV, handle pagination",
    "write a webhook handler in {proglang} that verifies the signature header and stores the event",
    "{proglang} snippet to {code_howto}, standard library only",
    "Could you write a quick script in {proglang} that {cli_task}? It's a one-off, no tests needed.",
    "Write a {sql_dialect} view that {sql_task}.",
    "write unit tests with {test_fw} for a function that {fn_task}",
    "Write an Ansible playbook that {ansible_task}.",
    "awk one-liner that {awk_task}",
    "Google Apps Script that {gas_task}",
    "Write a Python decorator that {decorator_task}.",
    "Create a {proglang} REST endpoint that {endpoint_task}. Return proper status codes.",
    "Write a TypeScript interface and a zod schema for this payload:\n{json_snip}",
    "Write a SQL migration ({sql_dialect}) that {db_migration}.",
    "DAX measure for {dax_task}",
    "give me the git command(s) to {git_task}",
    "Write a systemd unit file for {daemon}, restart on failure, logs to journald.",
    "Write a GraphQL schema for {schema_thing}, with queries and one mutation.",
    "Write a {proglang} program that reads {csv_thing} from a CSV and prints {csv_out}.",
    "Hey, can you write the {proglang} code for {algo}? I want to understand it, so comments are welcome.",
    "{proglang} — {code_howto}. Please give a minimal working example.",
    "I have this JSON:\n{json_snip}\nWrite a jq expression that pulls out every string value as a flat list.",
    "Write a bash function for my .bashrc that {bash_task}.",
    "write a function that builds the on-call schedule: given {n:3-12} engineers and a start date, assign weekly shifts round-robin and skip public holidays",
    "Write a {proglang} function that turns a list of subjects and hours per week into a study timetable (Mon-Fri, max 3h a day).",
    "I need code, not a plan: a {proglang} function that orders tasks by their dependencies and returns the order, error on cycles",
    "write a python function that checks whether a {n:30-90}-minute meeting fits in everyone's calendar given a list of busy intervals",
    "write a script that picks the cheapest flight per day from a CSV of prices and prints a {n:3-10}-day itinerary",
    "here is the plan from our design doc:\n{plan_steps}\nnow write the {proglang} code for step 2",
    "write a terraform module for {tf_task}, with variables.tf and outputs.tf",
    "Could you write the HCL for {tf_task}? We're on Terraform 1.6 with the latest provider.",
    "{app_preamble}\nterraform: {tf_task}. remote state in S3",
    "{fe_framework} component that {react_task}",
    "Can you build a {fe_framework} component that {react_task}? TypeScript please.",
    "need a {fe_framework} version of a component that {react_task}, composition style",
    "R script that {r_task}",
    "Could you write R code that {r_task}? tidyverse is fine.",
    "sed command that {sed_task}",
    "sed one-liner: {sed_task} (GNU sed)",
    "awk command that {awk_more}",
    "mongo aggregation that {mongo_task}",
    "Write a MongoDB query that {mongo_task}. Collection is called orders.",
    "need a PromQL query that {promql_task}",
    "PromQL: {promql_task}",
    "Write the Prometheus alerting rule YAML that fires when {promql_task}.",
    "helm chart for {helm_task}",
    "Write a Helm values.yaml and the deployment template for {helm_task}.",
    "create a Makefile that {make_task}",
    "set up a GitHub Actions workflow that {gha_task}",
    "Set up a CI pipeline (GitLab CI yaml) that {gha_task}",
    "{mobile_lang} screen that {mobile_task}",
    "Write a {mobile_lang} view that {mobile_task}. Keep state handling simple.",
    "write a {niche_lang} function that {fn_task}",
    "In {niche_lang}, how would I write something that {fn_task}? Code please.",
    "{niche_lang} snippet: {code_howto}",
    "MATLAB script that {matlab_task}",
    "SAS code that {sas_task}",
    "PySpark code that {spark_task}",
    "Write a Spark (Scala) job that {spark_task}.",
    "write a dbt model: {dbt_task}",
    "dbt: {dbt_task}. Snowflake adapter",
    "Write an Airflow DAG that {airflow_task}.",
    "airflow dag that {airflow_task}, use the TaskFlow API",
    "build a dashboard query for {grafana_task}",
    "Grafana: {grafana_task}. Give me the query and the panel JSON.",
    "LaTeX for {latex_task}",
    "how do i make {latex_task} in latex? just the code",
    "Power Query M that {pq_task}",
    "nginx config that {nginx_task}",
    "crontab line to run /usr/local/bin/sync.sh {cron_when}, with output appended to a log",
    "Write a Kubernetes manifest for {k8s_task}, namespace {team}.",
    "Ansible role that {ansible_task}",
    "{lua_task} — can you write it in Lua?",
    "Write an Excel formula to {excel_task}. Sheet is called Data, headers in row 1.",
    "{app_preamble}\nPlease write a bash function that {bash_task}. We run it from cron.",
    "{app_preamble}\nregex for {regex_task}, {regex_flavor} flavour",
    "Hi! Sorry if this is basic, but could you write me a PowerShell script that {ps_task}? Thanks so much.",
    "Would you mind writing a {sql_dialect} query that {sql_task}? Schema: {sql_schema}",
    "create a docker-compose.yml for {docker_task} with Postgres and Redis",
];

const EN_PLANNING: &[&str] = &[
    "Plan the rollout of {eng_change} to our {n:8-60} {eng_units} over {quarter}.",
    "We need to roll out {eng_change} across {n:8-60} {eng_units} without breaking anyone. Draft a phased plan with waves, owners and a rollback step for each wave.",
    "Draft a migration plan for moving {migration}. We have {n:2-6} engineers and need to be done by {month}.",
    "plan for migrating {migration}, phases + milestones + risks",
    "Create a cutover plan for moving {migration}: freeze window, dry runs, go/no-go checklist and who does what on the day.",
    "Put together a plan for the {team} team to pay down tech debt over {quarter} while still shipping features.",
    "Lay out the steps to set up an on-call rotation for {n:4-12} engineers across {city} and {city#2}, starting {month}.",
    "Make a month-end close plan for a {n:3-9}-person finance team: what happens on each business day from BD-3 to BD+5.",
    "We're moving our accounting to {acct_tool} in {month}. Plan the transition so the {quarter} close isn't affected.",
    "Build a 30/60/90-day onboarding plan for a new {role} joining the {team} team.",
    "Create a week-by-week onboarding schedule for {n:3-15} new hires starting on the same {weekday}.",
    "We need to hire {n:3-20} {role}s by the end of {quarter}. Lay out the hiring plan: sourcing, interview loops, timeline, who is involved.",
    "Plan our {compliance} readiness programme. We have {n:4-12} months and no dedicated compliance person yet.",
    "draft a plan to get {compliance} compliant: workstreams, owners, timeline",
    "Plan a {n:4-12}-week campaign calendar for launching {product} in {market}: channels, content per week, budget split.",
    "marketing plan for {product}, launch in {month}, budget {money}. give me a week by week calendar",
    "Create a territory plan for {n:3-12} account executives covering {region}, with quarterly targets and a ramp for new reps.",
    "We're rolling out {support_change} to a support team of {n:10-80}. Plan the rollout: training, pilot group, metrics, timeline.",
    "Plan {event} for {n:20-300} people in {city} in {month}: venue, agenda, travel, budget checkpoints.",
    "Help me organise {event}. Give me a countdown checklist from 12 weeks out to the day after.",
    "Plan a {n:3-10}-day itinerary in {city} for {travelers}.",
    "I'm going to {city} for {n:3-10} days in {month}. Can you make a day-by-day itinerary that isn't too rushed?",
    "itinerary for {city} + {city#2}, {n:7-14} days total, we like food and museums, hate early mornings",
    "Help me plan a wedding for {n:40-180} guests in {month} next year on a budget of {money}: what to book when.",
    "I'm moving from {city} to {city#2} on the {n:1-28}th of {month}. Make me a moving checklist week by week.",
    "Make a study plan for {exam} in {n:4-16} weeks, about {n:5-15} hours a week.",
    "study schedule for {exam}, exam is in {n:4-16} weeks, i work full time",
    "Create a {n:8-20}-week training plan for a {race}. I currently run about {n:10-40} km a week.",
    "Break {life_goal} into weekly steps for the next {n:2-6} months.",
    "Help me plan {life_goal} — I have about {n:3-10} hours a week. Milestones please.",
    "Build me a weekly schedule: gym {n:2-4} times, deep work every morning, kids' pickup at 3:30 on weekdays, and a {weekday} evening class.",
    "Schedule these meetings around my constraints: 1:1 with {person} (30 min), design review (1 h), budget sync with {person#2} (45 min). I'm only free Tue/Thu afternoons and {person} is out Thursday.",
    "Find {agent_find}, then {agent_then}, then email {person} the result.",
    "Go through {agent_find}, {agent_then}, and then post a summary in the #{team} Slack channel.",
    "As an agent with access to email, calendar and {saas}: find {agent_find}, {agent_then}, and book a 30 minute review with {person} next week. List the steps you'll take first.",
    "Break down how we should launch {product} in {market}: the workstreams, their order, and dependencies.",
    "What's the sequence of steps to decommission our old {service}? We have {n:5-40} downstream consumers.",
    "Plan a disaster recovery test for our {service} next {month}: scenarios, participants, timeline, success criteria.",
    "Create a project plan for replacing our intranet with {intranet_tool}. {n:100-2000} employees, go-live in {quarter}.",
    "We're opening an office in {city}. Plan everything from lease signing to the first day, with rough dates.",
    "plan a {n:2-5} week sprint schedule for the {team} team to ship SSO, audit logs and SCIM",
    "My manager asked for a plan to reduce cloud spend by {n:10-30}% by {month}. Outline the phases and what we'd do in each.",
    "Plan the annual performance review cycle for {n:50-900} employees: timeline, calibration sessions, manager training.",
    "Draft a {n:3-12}-month roadmap for our {roadmap_thing}, broken into monthly milestones.",
    "Plan my week: I have a board deck due {weekday}, two interviews, a dentist appointment and I want 3 gym sessions.",
    "Lay out a plan to run a vendor selection to replace {saas}: requirements, shortlist, demos, decision date.",
    "Help me plan my first {n:30-100} days as the new {role} lead on the {team} team.",
    "Plan a kitchen renovation: we want it done by {month}, budget {money}. Order of trades and what to order when.",
    "I want to read {n:12-52} books this year. Make a plan with monthly targets and genres mixed in.",
    "Create a content calendar for our company blog for {quarter}: {n:2-3} posts a week, themes per month, owners.",
    "We have {n:3-8} weeks until {event}. Break the prep into weekly tasks with owners: {person}, {person#2} and {person#3}.",
    "Create a rollout plan for {support_change} in our {n:2-5} support hubs ({city}, {city#2} and remote), starting in {month}.",
    "Plan a {n:2-4}-week hardening sprint before our {compliance} audit: what to fix first, who owns it, daily checkpoints.",
    "My partner and I both work full time and have a {n:1-10}-year-old. Make us a weekly chore and pickup schedule that feels fair.",
    "Plan a phased return-to-office for {n:40-600} people in {city} over {quarter}: pilot teams, desk booking, communication plan.",
    "Using {saas} and email: collect the {quarter} numbers from each region lead, merge them into one deck, then schedule a review with {person}. What are the steps?",
    "Lay out a {n:4-12}-week plan to get our {team} team from zero tests to CI gating every merge.",
    "Plan a sabbatical: {n:2-6} months, starting in {month}, partly in {city}. What do I need to arrange and when?",
    "Here's our current deploy script:\n{deploy_snip}\nPlan how we move to blue/green deploys over the next {n:2-6} weeks, step by step. Don't write code yet.",
    "This crontab runs our whole nightly pipeline:\n{cron_snip}\nPlan the migration of these jobs to Airflow: order, testing, cutover, rollback.",
    "We want to replace this function across {n:10-80} services:\n{py_http_snip}\nGive me a rollout plan: which services first, how to verify, how long each wave takes.",
    "Plan the work to upgrade our {team} services from Python 3.8 to 3.12 — {n:5-40} repos, some still on Django 2. Phases and checkpoints please.",
    "Check whether {person} is free {weekday} afternoon; if so, book a 45 minute meeting with {person} and {person#2}, then email them the agenda. If not, propose two other slots.",
    "Look at my calendar for next week. If I have more than {n:12-25} hours of meetings, decline the optional ones, move the 1:1 with {person} to {weekday}, and send {person#2} a note explaining.",
    "In the CRM, find {crm_thing}. For each, if the owner is still active, create a follow-up task due {weekday}; otherwise reassign it to {person} and email them the list.",
    "Go through {tracker_thing} in Jira. If a ticket has no assignee, assign it to {person}; if it's been open more than {n:14-60} days, bump the priority, then post a summary to #{team}.",
    "On {shop_site}, find the cheapest {shop_item} with at least 4 stars, add it to the cart, apply the code SAVE10 if it works, and stop before paying.",
    "find {shop_item} under {money} on {shop_site}, compare the top three by reviews, add the best one to the cart, then check the delivery date to {city}",
    "Search {travel_site} for a flight from {city} to {city#2} on the {n:1-28}th of {month}, pick the cheapest one that lands before 18:00, then book a hotel within 2 km of the centre and add both to my calendar.",
    "Using {travel_site}: compare train and flight options from {city} to {city#2} next {weekday}, choose the faster one under {money}, and send the itinerary to {person}.",
    "If the {quarter} budget sheet shows marketing over {money}, email {person} asking for a breakdown, schedule a 30 minute review with finance, and flag it in the tracker. Otherwise just send a thumbs-up.",
    "Check the support inbox for emails mentioning refunds from the last {n:2-7} days; reply to each with the refund template, log them in {saas}, and tell {person} how many there were.",
    "You're an agent with access to email, calendar, CRM and the project tracker. Task: when {person} replies to the contract email, update the deal stage, create onboarding tasks for {person#2}, and book a kickoff call. Break it into tool calls.",
    "Open the shop's order history, find the last order of {shop_item}, start a return if it's still within 30 days, print the label, and put a reminder in my calendar to drop it off.",
    "Find the three highest-rated Italian restaurants near {city} central station that are open on {weekday} at 20:00, book a table for {n:2-8} at the first one with availability, and text {person} the details.",
    "For every customer in {crm_thing}, check if they opened last month's newsletter; if they did, add them to the webinar invite list, otherwise schedule a call for their account manager.",
    "plan our migration to Terraform over {quarter}: which stacks first, how we import existing resources, who reviews",
    "Roadmap for moving our {team} dashboards to Grafana by {month}: phases, owners, what we retire when.",
    "We want to adopt Helm for all {n:10-60} services. Plan the rollout in waves, with training for the {team} team and a rollback path.",
    "Plan how we move our analytics from spreadsheets to dbt and Airflow over the next {n:3-9} months, including who we need to hire.",
    "Make a plan to switch our mobile team from UIKit to SwiftUI over {quarter} without freezing features.",
    "Draft a phased plan for introducing Kubernetes at a company that currently deploys to {n:5-40} VMs by hand.",
    "We're standardising on PowerShell for Windows admin work. Plan the transition for {n:4-20} admins: training, script inventory, deadlines.",
    "Lay out a plan to move our R and SAS reports to Python by end of {quarter}: inventory, priority order, validation of numbers.",
    "Plan the rollout of Prometheus alerting to replace our email alerts for {n:5-40} services, wave by wave.",
    "Set up a plan (not code) for our Vue 2 to Vue 3 upgrade across {n:3-12} frontends: order, testing, timeline.",
];

const EN_REASONING: &[&str] = &[
    "A jacket costs {money} and is {n:10-40}% off, and I have a coupon for another {n:5-20}% at checkout. What do I pay, and is that the same as adding the two percentages?",
    "If we buy a tool for {money} that saves {n:2-10} hours a week for each of {n:3-30} engineers at ${n:60-150}/hour, how many weeks until it pays for itself?",
    "Our CAC is ${n:80-900}, ARPU is ${n:10-120}/month, gross margin {n:60-85}% and monthly churn {n:2-8}%. What's the LTV to CAC ratio and is that healthy?",
    "We sell mugs at ${n:12-30}. Materials are ${n:3-8} each and fixed costs are ${n:2000-9000} a month. How many mugs a month to break even?",
    "Each support agent handles {n:30-70} tickets a day. Volume is {n:400-2000} tickets a day and grows {n:3-10}% a month. How many agents do we need in 6 months?",
    "Which plan is cheaper over 3 years: {plan_a} or {plan_b}?",
    "Is it cheaper over 3 years to buy a laptop for ${n:1200-3000} or lease one at ${n:40-90} a month? Assume resale value of 30% after 3 years.",
    "I'm paid {n:3000-6000} {currency} a month and rent is {n:800-2000} {currency}. If the {currency} drops 10% against the dollar, what share of my dollar savings do I lose?",
    "Invoice is {money} due in 60 days, or we take a 2% discount if we pay in 10. What annual interest rate does skipping the discount imply?",
    "{person}, {person#2}, {person#3} and {person#4} sit in a row. {person} is not at either end. {person#2} sits right of {person#3}. {person#4} is at the left end. Who sits where?",
    "{person} is older than {person#2}. {person#3} is younger than {person#2} but older than {person#4}. Who is the second youngest, and why?",
    "A shelf has {n:3-6} binders labelled by year, and {person} says every label is wrong. {person#2} says exactly one is right. They cannot both be correct — or can they? Explain.",
    "If all managers attend the Monday meeting and {person} did not attend, what can we conclude? And what can't we?",
    "Our {service} started returning 502s at {time} right after {change}. Logs show:\n{log_lines}\nWhy did this happen?",
    "why is this happening?\n{log_lines}\nit started after {change}",
    "Root cause please: {symptom} on our {service}. The only change that week was {change}.",
    "Our {service} has a weird pattern: {symptom}. What are the most likely causes and how would you tell them apart?",
    "Is it true that {claim}?",
    "someone on my team said {claim}. true or false? explain",
    "Roughly how many {fermi_thing} are there in {city}? Walk me through the estimate.",
    "Estimate how many hours of video our {n:200-5000} support agents watch in onboarding per year if each watches {n:3-12} hours and turnover is {n:20-60}%.",
    "We run {n:10-200} servers, each with a {n:2-8}% chance of failing in a given year. What's the probability at least one fails this year?",
    "If I draw {n:2-5} cards from a shuffled deck, what's the probability none of them is a heart?",
    "A feature flag is shown to {n:10-50}% of users and the conversion goes from {n:2-4}.{n:0-9}% to {n:3-5}.{n:0-9}% on {n:800-9000} users. Is that likely to be real or noise?",
    "{person} was born the year {history_event}. How old were they when {history_event#2}?",
    "If it's {time} in {city} on a {weekday}, what time and day is it in {city#2}?",
    "why does this code deadlock?\n{deadlock_snip}",
    "Can someone explain why this hangs sometimes but not always?\n{deadlock_snip}",
    "why does this query return duplicate rows?\n{sql_snip}",
    "What's the time complexity of this and why?\n{slow_snip}",
    "Why does this print the list growing between calls?\n{py_snip}\nI called add_item twice.",
    "A freight train leaves the depot at {time} going {n:60-120} km/h; a second one leaves the port, {n:200-600} km away, 30 minutes later at {n:60-120#2} km/h towards it. When and where do they meet?",
    "If {n:3-9} people can pack {n:100-400} boxes in {n:2-6} hours, how long would {n:4-12} people take to pack {n:300-900} boxes at the same rate?",
    "Our team velocity is {n:20-40} points per sprint, the backlog is {n:150-400} points and {n:10-20}% of each sprint goes to bugs. Which sprint do we finish in?",
    "Revenue grew {n:10-40}% last year and {n:5-20}% this year. Is the two-year growth the sum of those? What is it?",
    "We raised prices {n:5-15}% and lost {n:3-12}% of customers. Did revenue go up or down, and by how much?",
    "Should we pay {money} upfront for a 3-year license or ${n:500-3000} a month, if our cost of capital is {n:5-12}%? Show the reasoning.",
    "A team lunch for {n:6-20} people cost ${n:120-480} including a {n:10-20}% tip on the food. How much was the food before the tip, and how much per person?",
    "{person}'s expense reports are approved by {person#2}, and {person#2} reports to {person#3}. {person#2} and {person#3} are both on leave this week. Who should approve {person}'s expense? What assumption are you making?",
    "Which is bigger: the number of seconds in a year or the number of people in {market}? Reason it out.",
    "Our A/B test ran {n:3-14} days and B won on weekdays but lost on weekends. Can we trust the overall result?",
    "{n:2-9} of our {n:10-30} microservices failed the same health check after {change}. What does that suggest about the cause?",
    "Why would a {service} get slower after we added more replicas?",
    "If the warehouse ships {n:200-900} orders a day and {n:1-5}% are returned, and each return costs ${n:5-25}, what's the yearly cost of returns? Is it worth a {money} project that halves the rate?",
    "Does it make sense to hire a contractor at ${n:80-180}/h for {n:3-9} months versus a full-time hire at {money} a year plus 25% overhead? Which is cheaper and when does that flip?",
    "Given that {claim}, what would you expect to happen — and is the premise even right?",
    "My flight from {city} lands in {city#2} at {time} and my connection leaves 55 minutes later from another terminal. Realistically, will I make it? What could go wrong?",
    "A meeting room fits {n:6-12}. {n:14-30} people need to attend {n:2-4} sessions each, no one twice in the same slot. What's the minimum number of slots?",
    "The nightly job usually takes {n:20-50} minutes but took {n:3-6} hours last night. Input was the same size. What could explain that?",
    "{person} says our {metric} fell because of the {launch}, but {confounder} that same week. How should we reason about whether the {launch} is to blame?",
    "Headphones and their case cost ${n:110-190} together. The headphones cost ${n:90-100} more than the case. What does the case cost? Show the steps.",
    "If {person} reads {n:20-60} pages a day and {person#2} reads {n:10-40} pages a day but started {n:2-9} days earlier, when does {person} catch up on a {n:300-900}-page book?",
    "Our warehouse in {city} ships {n:2-9}x the orders of the one in {city#2}, but has the same number of returns. Which has the higher return rate and what could explain it?",
    "A subscription costs {currency} {n:8-30} a month. Paid yearly it is {currency} {n:80-300}. How many months do I need to stay for yearly to be cheaper?",
    "Our {service} error budget is 99.9% monthly. We had {n:10-90} minutes of downtime so far in {month}. How much budget is left, and can we afford a risky deploy?",
    "Every {weekday} the on-call gets paged around {time} by the {service}. A backup cron runs {n:10-90} minutes earlier. Is that likely connected? How would you prove it?",
    "{person}, {person#2} and {person#3} each either always lie or always tell the truth. {person} says {person#2} is a liar; {person#2} says {person#3} is a liar; {person#3} says {person} and {person#2} are both liars. Who tells the truth?",
    "We have {n:3-8} candidates and {n:2-4} interviewers who can each do {n:2-4} interviews a day. Every candidate needs 3 different interviewers. What is the fewest number of days this can take?",
    "Here is our rollout plan:\n{plan_steps}\nWhich step is most likely to fail, and why?",
    "We planned to migrate {n:2-40} TB over a weekend at about {n:50-400} MB/s. Is 48 hours enough? Show the math.",
    "Why doesn't this regex match the test string?\n{regex_snip}",
    "Is this function correct for negative numbers? Walk through it with an example.\n{go_snip}",
    "Two estimates for the same project: {person} says {n:6-10} weeks, {person#2} says {n:14-20}. {person} assumed {n:3-5} engineers full time, {person#2} assumed 50% allocation. Are they actually contradicting each other?",
    "{person} is taller than {person#2}, and {person#3} is shorter than {person#2}. Is {person#3} taller than {person}? Explain.",
    "On a shelf there are {deduce_obj}. The green one is left of the blue one, and the red one is right of the blue one. Which is in the middle?",
    "Today is {weekday}, the {n:1-28}th of {month}. What day of the week will it be {n:10-100} days from now?",
    "If yesterday was the {n:2-27}th of {month}, what was the date one week before tomorrow?",
    "Is the following sentence plausible? \"During the match, {athlete_sport}.\" Explain why or why not.",
    "Could a person who lived through {history_event} also have used a smartphone as a teenager? Think it through.",
    "Would a grizzly bear fit in a standard elevator? Answer yes or no and reason it out.",
    "Could you drive from {city} to {city#2} in a single day? Explain your reasoning.",
    "{person} finished before {person#2} but after {person#3}; {person#4} finished last. Who finished second?",
    "If every badge holder can enter the lab and {person} entered the lab, does that mean {person} has a badge? Explain.",
    "Why does this happen: {tf_puzzle}? What is the most likely cause?",
    "{promql_puzzle}. Why would that be? Walk me through it.",
    "Can you explain why {shell_puzzle}?",
    "Our Helm upgrade succeeded but the pods still run the old image. Which of these is the most likely reason: tag not changed, imagePullPolicy IfNotPresent, or a stale ReplicaSet? Reason it out.",
    "Is it true that a Kubernetes Deployment with {n:2-6} replicas and a PodDisruptionBudget of minAvailable {n:2-6} can never be drained? Explain.",
    "The Airflow DAG ran at 00:00 but processed yesterday's data. Is that a bug or expected? Explain how the schedule and logical date relate.",
    "In this Excel sheet, VLOOKUP returns #N/A for codes that are clearly in the lookup table. What are the likely reasons and how would you tell which one it is?",
    "A dbt incremental model has {n:3-40} fewer rows than the full refresh. What could explain the difference?",
];

const ES_CODE: &[&str] = &[
    "Escríbeme una función en {proglang} que {es_ctask}.",
    "necesito un script en bash que {es_bash}",
    "¿Me puedes pasar una fórmula de Excel para {es_excel}?",
    "Hazme una consulta SQL ({sql_dialect}) que {es_sql}. Tablas: {sql_schema}",
    "Corrige esta función, por favor:\n{py_snip}",
    "Pasa este código de Python a {proglang}:\n{py_snip}",
    "una regex que valide {es_regex}",
    "Completa esta función:\n{stub}",
    "Quiero un componente de React que {es_react}. Con TypeScript.",
    "¿Cómo hago en {proglang} para {es_howto}? Pásame el código.",
    "Añade reintentos con backoff exponencial a esta función:\n{py_http_snip}",
    "Genérame una clase en {proglang} para este JSON:\n{json_snip}",
    "Escríbeme tests con {py_test_fw} para esta función:\n{py_snip}",
    "Escribe una función en {proglang} que genere el calendario de guardias: {n:3-12} personas, turnos semanales rotativos y sin festivos.",
    "Macro de VBA que {es_vba}",
    "dame un filtro jq para sacar {es_jq}",
    "Escribe el YAML de Kubernetes para un Deployment de {svc_id} con {n:2-6} réplicas y un readiness probe en /healthz.",
    "En pandas, ¿cómo puedo {es_pandas}? El dataframe se llama df.",
    "Escríbeme un módulo de Terraform para un bucket S3 con versionado y {n:7-90} días de retención.",
    "Necesito una consulta PromQL que muestre la tasa de errores 5xx por servicio en los últimos {n:5-30} minutos.",
    "componente de {fe_framework} que muestre una tabla paginada con {n:10-50} filas por página",
    "Hazme un script de R que lea un CSV y haga un gráfico de barras por mes con ggplot2, filtrando valores menores que {n:10-500}.",
];

const ES_PLANNING: &[&str] = &[
    "Arma un plan para {es_plan} en {n:2-6} meses, con hitos mensuales.",
    "Necesito un itinerario de {n:3-10} días por {es_city} para {es_viajeros}.",
    "¿Me ayudas a organizar {es_evento} para {n:20-200} personas en {es_city}? Dame un cronograma de tareas.",
    "Plan de migración de {migr_pair}: fases, responsables y riesgos.",
    "Prepárame un plan de incorporación de 30/60/90 días para un nuevo {es_rol}.",
    "Tenemos que contratar a {n:3-15} personas antes de fin de trimestre. Diseña el plan de contratación semana a semana.",
    "Organízame la semana: tengo {es_agenda}, y quiero ir al gimnasio {n:2-4} veces.",
    "Me mudo de {es_city} a {es_city#2} en {es_mes}. Hazme una lista de tareas por semanas.",
    "Plan de estudio para {es_examen} en {n:4-16} semanas, estudiando {n:5-15} horas por semana.",
    "Busca {es_agente}, compáralos en una tabla y luego mándale un correo a {es_name} con la mejor opción.",
    "Diseña el calendario de una campaña de {n:4-12} semanas para lanzar {es_producto} en {es_country}.",
    "Este es nuestro script de despliegue:\n{deploy_snip}\n¿Cómo pasamos a blue/green en {n:2-6} semanas? Dame el plan por pasos, todavía sin código.",
    "Prepara el calendario del cierre contable de {es_mes} para un equipo de {n:3-9} personas: qué se hace cada día hábil.",
    "Necesitamos cumplir con {compliance} antes de {es_mes}. Arma un plan de trabajo con responsables y fechas.",
    "Planifica cómo desplegamos {rollout_tech} en {n:8-60} aplicaciones internas sin romper nada: olas, pilotos y vuelta atrás.",
    "Hazme un plan de entrenamiento de {n:8-20} semanas para correr una media maratón; ahora hago unos {n:10-40} km por semana.",
    "Revisa si {es_name} está libre el jueves por la tarde; si es así, agenda una reunión de una hora con su equipo y luego envíales la agenda por correo. Si no, propón dos horarios alternativos.",
    "Planifica nuestra migración a Terraform durante los próximos {n:2-6} meses: qué entornos primero, quién revisa y cómo volvemos atrás.",
];

const ES_REASONING: &[&str] = &[
    "Un producto cuesta {n:20-400} € y tiene un {n:10-40} % de descuento, y luego otro {n:5-20} % en caja. ¿Cuánto pago al final? ¿Es lo mismo que sumar los descuentos?",
    "Si invertimos {es_money} en una herramienta que ahorra {n:2-10} horas semanales a {n:3-30} personas que cuestan {n:30-90} € la hora, ¿en cuántas semanas se amortiza?",
    "¿Qué plan sale más barato a 3 años: {es_plan_a} o {es_plan_b}? Explica el razonamiento.",
    "¿Es verdad que {es_claim}?",
    "Nuestro {svc_id} empezó a dar errores 502 a las {time} justo después de {es_cambio}. En los logs sale:\n{log_lines}\n¿Por qué pasó esto?",
    "¿Por qué se bloquea este código a veces?\n{deadlock_snip}",
    "{es_name} es mayor que {es_name#2}, y {es_name#3} es menor que {es_name#2} pero mayor que {es_name#4}. ¿Quién es el segundo más joven?",
    "Más o menos, ¿cuántos {es_fermi} hay en {es_city}? Explícame la estimación paso a paso.",
    "Tenemos {n:10-200} servidores y cada uno tiene un {n:2-8} % de probabilidad de fallar al año. ¿Qué probabilidad hay de que falle al menos uno?",
    "Vendemos a {n:12-30} € la unidad, el coste variable es {n:3-8} € y los fijos son {n:2000-9000} € al mes. ¿Cuántas unidades necesitamos para no perder dinero?",
    "Subimos los precios un {n:5-15} % y perdimos un {n:3-12} % de clientes. ¿Los ingresos subieron o bajaron? ¿Cuánto?",
    "¿Por qué esta regex no encaja con la cadena de prueba?\n{regex_snip}",
    "Si contratamos a un freelance a {n:40-90} € la hora durante {n:3-9} meses o a alguien en plantilla por {es_money} al año más un 30 % de costes, ¿qué sale más barato?",
    "Si {es_name} lee {n:20-60} páginas al día y {es_name#2} {n:10-40}, pero empezó {n:2-9} días antes, ¿cuándo lo alcanza en un libro de {n:300-900} páginas?",
    "El test A/B duró {n:3-14} días: B gana entre semana pero pierde el fin de semana. ¿Nos podemos fiar del resultado global?",
    "La tarea nocturna suele tardar {n:20-50} minutos, pero anoche tardó {n:3-6} horas con el mismo volumen de datos. ¿Qué pudo pasar?",
];

const DE_CODE: &[&str] = &[
    "Schreib mir eine Funktion in {proglang}, die {de_ctask}.",
    "Bash-Einzeiler, der {de_bash}?",
    "Ich brauche eine Excel-Formel, um {de_excel}.",
    "SQL-Abfrage ({sql_dialect}), die {de_sql}. Tabellen: {sql_schema}",
    "Kannst du diese Funktion reparieren?\n{py_snip}",
    "Bitte diesen Code nach {proglang} übersetzen:\n{js_snip}",
    "Regex für {de_regex}",
    "Vervollständige bitte diese Funktion:\n{stub}",
    "Schreib ein Dockerfile für eine {docker_stack}-App, möglichst kleines Image.",
    "Wie mache ich in {proglang} {de_howto}? Mit Codebeispiel bitte.",
    "Bau in diese Funktion Retries mit exponentiellem Backoff ein:\n{py_http_snip}",
    "Erzeug mir eine {proglang}-Klasse für dieses JSON:\n{json_snip}",
    "Schreib Tests mit {py_test_fw} für diese Funktion:\n{py_snip}",
    "Schreib eine {proglang}-Funktion, die aus {n:3-12} Leuten einen wöchentlichen Bereitschaftsplan erzeugt, rotierend und ohne Feiertage.",
    "VBA-Makro, das {de_vba}",
    "jq-Filter für {de_jq}",
    "Pandas: Wie kann ich {de_pandas}? Bitte mit Code, der DataFrame heißt df.",
    "Terraform für einen S3-Bucket mit Versionierung, Verschlüsselung und Lifecycle-Regel nach {n:30-365} Tagen.",
    "Schreib mir ein Terraform-Modul für eine VPC mit {n:2-4} privaten Subnetzen.",
    "Ich brauche eine MongoDB-Aggregation, die Bestellungen der letzten {n:7-90} Tage pro Status zählt.",
    "{fe_framework}-Komponente mit einem Suchfeld, das nach {n:200-800} ms Pause die API aufruft",
    "sed-Befehl, der in allen .conf-Dateien den Port 8080 durch {n:3000-9000} ersetzt",
];

const DE_PLANNING: &[&str] = &[
    "Erstelle einen Plan, wie wir {de_plan} bis {de_monat} umsetzen. Mit Meilensteinen und Verantwortlichen.",
    "Plane eine {n:3-10}-tägige Reise nach {de_city} für {de_reisende}, Tag für Tag.",
    "Wir müssen {rollout_tech} auf {n:8-60} Systeme ausrollen. Mach uns einen Rollout-Plan in Wellen mit Rückfallebene.",
    "Einarbeitungsplan für die ersten 90 Tage einer neuen {de_rolle}, bitte nach Wochen gegliedert.",
    "Wie gehen wir den Umzug {migr_pair} an? Phasen, Risiken, Zeitplan.",
    "Hilf mir, {de_event} für {n:20-200} Leute in {de_city} zu organisieren – Checkliste ab 12 Wochen vorher.",
    "Mach mir einen Lernplan für {de_pruefung}, ich habe {n:4-16} Wochen und etwa {n:5-15} Stunden pro Woche.",
    "Trainingsplan für einen Halbmarathon in {n:8-20} Wochen, aktuell laufe ich {n:10-40} km pro Woche.",
    "Plane meine Woche: {de_termine}. Sport will ich auch {n:2-4}-mal unterbringen.",
    "Such {de_agent}, vergleich sie und schick dann {de_name} eine kurze Zusammenfassung per Mail.",
    "Monatsabschluss für ein Finanzteam mit {n:3-9} Leuten: Was passiert an welchem Arbeitstag? Bitte als Ablaufplan.",
    "Unser Deploy-Skript sieht so aus:\n{deploy_snip}\nWie stellen wir in {n:2-6} Wochen auf Blue/Green um? Bitte Schritt für Schritt planen, noch keinen Code.",
    "Wir müssen bis {de_monat} {compliance}-konform sein. Erstell einen Projektplan mit Arbeitspaketen, Verantwortlichen und Terminen.",
    "Plane die Einführung von {rollout_tech} in {n:8-60} internen Anwendungen: Pilotgruppe, Wellen, Kommunikation, Rückfallplan.",
    "Wir stellen bis {de_monat} {n:3-20} neue Leute im Vertrieb ein. Wie sieht der Recruiting-Plan Woche für Woche aus?",
    "Mein Umzug von {de_city} nach {de_city#2} ist in {n:4-12} Wochen. Mach mir eine Checkliste, Woche für Woche.",
    "Finde im Onlineshop den günstigsten Monitor mit mindestens 4 Sternen unter {n:150-600} €, leg ihn in den Warenkorb und prüfe dann das Lieferdatum. Welche Schritte gehst du?",
    "Plane die Umstellung unserer Dashboards auf Grafana in {n:2-6} Monaten: Phasen, Verantwortliche, Abschaltung der alten Tools.",
];

const DE_REASONING: &[&str] = &[
    "Eine Jacke kostet {n:80-400} € mit {n:10-40} % Rabatt, an der Kasse gibt es nochmal {n:5-20} %. Was zahle ich, und ist das dasselbe wie beide Prozente addiert?",
    "Lohnt sich ein Tool für {de_money}, wenn es {n:3-30} Leuten je {n:2-10} Stunden pro Woche spart (Stundensatz {n:40-120} €)? Nach wie vielen Wochen hat es sich bezahlt gemacht?",
    "Welcher Tarif ist über 3 Jahre günstiger: {de_plan_a} oder {de_plan_b}?",
    "Stimmt es, dass {de_claim}?",
    "Seit {time} liefert unser {svc_id} 502er, direkt nach {de_aenderung}. Im Log steht:\n{log_lines}\nWoran liegt das?",
    "Warum hängt dieser Code manchmal?\n{deadlock_snip}",
    "{de_name} ist älter als {de_name#2}. {de_name#3} ist jünger als {de_name#2}, aber älter als {de_name#4}. Wer ist der Zweitjüngste? Begründe.",
    "Schätz mal: Wie viele {de_fermi} gibt es ungefähr in {de_city}? Rechenweg bitte.",
    "Wir haben {n:10-200} Server, jeder fällt mit {n:2-8} % Wahrscheinlichkeit pro Jahr aus. Wie wahrscheinlich ist mindestens ein Ausfall?",
    "Unsere Conversion ist von {n:2-4},{n:0-9} % auf {n:3-5},{n:1-9} % gestiegen, bei {n:800-9000} Nutzern. Ist das echt oder Zufall?",
    "Warum wird unser {svc_id} langsamer, seit wir mehr Replikas haben?",
    "Warum matcht diese Regex den Teststring nicht?\n{regex_snip}",
    "Freelancer für {n:70-140} € die Stunde über {n:3-9} Monate oder eine Festanstellung für {de_money} im Jahr plus 25 % Nebenkosten – was ist günstiger, und ab wann kippt das?",
    "Wir haben die Preise um {n:5-15} % erhöht und {n:3-12} % der Kunden verloren. Ist der Umsatz gestiegen oder gefallen?",
    "Unser Nightly-Job braucht normalerweise {n:20-50} Minuten, gestern {n:3-6} Stunden bei gleicher Datenmenge. Was kann das erklären?",
    "Wenn {n:3-9} Leute {n:100-400} Pakete in {n:2-6} Stunden packen, wie lange brauchen {n:4-12#2} Leute für {n:300-900} Pakete?",
];

const FR_CODE: &[&str] = &[
    "Écris une fonction {proglang} qui {fr_ctask}.",
    "Tu peux me donner une commande bash qui {fr_bash} ?",
    "Formule Excel pour {fr_excel} ?",
    "Requête SQL ({sql_dialect}) qui {fr_sql}. Tables : {sql_schema}",
    "Corrige cette fonction stp :\n{py_snip}",
    "Convertis ce code en {proglang} :\n{js_snip}",
    "une regex qui reconnaît {fr_regex}",
    "Complète cette fonction :\n{stub}",
    "Écris-moi un workflow GitHub Actions qui lance `{ci_cmd}` à chaque pull request, avec cache des dépendances.",
    "Comment on fait pour {fr_howto} en {proglang} ? Un exemple de code svp",
    "Ajoute des tentatives avec backoff exponentiel à cette fonction :\n{py_http_snip}",
    "Génère une classe {proglang} pour ce JSON :\n{json_snip}",
    "Écris des tests {py_test_fw} pour cette fonction :\n{py_snip}",
    "Écris une fonction {proglang} qui génère le planning d'astreinte : {n:3-12} personnes, rotation hebdomadaire, jours fériés exclus.",
    "Macro VBA qui {fr_vba}",
    "Filtre jq pour {fr_jq}",
    "Avec pandas, comment {fr_pandas} ? Le dataframe s'appelle df.",
    "Écris le Dockerfile d'une appli {docker_stack}, multi-stage et avec un utilisateur non root.",
    "Écris-moi un chart Helm pour une API avec {n:2-6} réplicas et un ingress.",
    "J'ai besoin d'une requête PromQL qui alerte quand la latence p95 dépasse {n:200-900} ms.",
    "composant {fe_framework} qui affiche une liste filtrable, en TypeScript",
    "Un script PowerShell qui supprime les fichiers de plus de {n:7-90} jours dans C:\\Temp, s'il te plaît.",
];

const FR_PLANNING: &[&str] = &[
    "Fais-moi un plan pour {fr_plan} d'ici {fr_mois}, avec les grandes étapes et les responsables.",
    "Prépare un itinéraire de {n:3-10} jours à {fr_city} pour {fr_voyageurs}.",
    "On doit déployer {rollout_tech} sur {n:8-60} applis internes. Propose un plan de déploiement par vagues.",
    "Plan d'intégration sur 90 jours pour un nouveau {fr_role}, semaine par semaine.",
    "Organise {fr_event} pour {n:20-200} personnes à {fr_city} : rétroplanning à partir de J-90.",
    "Planning de révisions pour {fr_examen}, il me reste {n:4-16} semaines.",
    "Je déménage de {fr_city} à {fr_city#2} en {fr_mois}. Tu peux me faire une liste de tâches semaine par semaine ?",
    "Plan de migration {migr_pair} : phases, risques, calendrier.",
    "Organise ma semaine : {fr_agenda}, et je veux caser {n:2-4} séances de sport.",
    "Trouve {fr_agent}, compare-les dans un tableau, puis envoie un mail récapitulatif à {fr_name}.",
    "Calendrier d'une campagne de {n:4-12} semaines pour lancer {fr_produit} en {fr_country}.",
    "Voici notre script de déploiement :\n{deploy_snip}\nComment passer au blue/green en {n:2-6} semaines ? Fais-moi un plan par étapes, pas encore de code.",
    "Prépare le planning de clôture mensuelle pour une équipe compta de {n:3-9} personnes : qui fait quoi, de J-3 à J+5.",
    "On doit être conformes {compliance} d'ici {fr_mois}. Fais-moi un plan projet avec chantiers, responsables et jalons.",
    "On recrute {n:3-20} personnes d'ici {fr_mois}. Établis le plan de recrutement semaine par semaine.",
    "Programme d'entraînement de {n:8-20} semaines pour un semi-marathon, je cours actuellement {n:10-40} km par semaine.",
    "Vérifie si la salle est libre mardi ; si oui, réserve-la pour {n:4-12} personnes, envoie l'invitation à l'équipe puis ajoute le point au tableau de suivi.",
    "Planifie le passage de nos scripts R vers Python sur {n:2-6} mois : inventaire, priorités, validation des chiffres.",
];

const FR_REASONING: &[&str] = &[
    "Un article coûte {n:20-400} € avec {n:10-40} % de remise, puis encore {n:5-20} % en caisse. Combien je paie au final ? Est-ce pareil que d'additionner les deux remises ?",
    "Si un outil à {fr_money} fait gagner {n:2-10} heures par semaine à {n:3-30} personnes payées {n:30-90} € de l'heure, il est rentabilisé en combien de semaines ?",
    "Quelle offre revient le moins cher sur 3 ans : {fr_plan_a} ou {fr_plan_b} ?",
    "Est-ce vrai que {fr_claim} ?",
    "Notre {svc_id} renvoie des 502 depuis {time}, juste après {fr_changement}. Les logs :\n{log_lines}\nPourquoi ?",
    "Pourquoi ce code se bloque de temps en temps ?\n{deadlock_snip}",
    "{fr_name} est plus âgé que {fr_name#2}. {fr_name#3} est plus jeune que {fr_name#2} mais plus âgé que {fr_name#4}. Qui est l'avant-dernier en âge ?",
    "À ton avis, combien y a-t-il de {fr_fermi} à {fr_city} ? Détaille l'estimation.",
    "On a {n:10-200} serveurs, chacun avec {n:2-8} % de risque de panne par an. Quelle est la probabilité qu'au moins un tombe en panne ?",
    "On a augmenté nos prix de {n:5-15} % et perdu {n:3-12} % des clients. Le chiffre d'affaires a-t-il augmenté ou baissé ?",
    "Pourquoi notre {svc_id} ralentit depuis qu'on a ajouté des réplicas ?",
    "Pourquoi cette regex ne matche pas la chaîne de test ?\n{regex_snip}",
    "Un freelance à {n:400-900} € par jour pendant {n:3-9} mois, ou un CDI à {fr_money} par an plus 45 % de charges : lequel coûte le moins cher ?",
    "Le test A/B a tourné {n:3-14} jours : B gagne en semaine mais perd le week-end. Peut-on se fier au résultat global ?",
    "Si {fr_name} lit {n:20-60} pages par jour et {fr_name#2} {n:10-40}, mais a commencé {n:2-9} jours plus tôt, quand est-ce que {fr_name} le rattrape sur un livre de {n:300-900} pages ?",
    "Notre batch de nuit prend d'habitude {n:20-50} minutes, cette nuit {n:3-6} heures avec le même volume. Qu'est-ce qui peut l'expliquer ?",
];

const PT_CODE: &[&str] = &[
    "Escreve uma função em {proglang} que {pt_ctask}.",
    "preciso de um comando bash que {pt_bash}",
    "Qual fórmula do Excel para {pt_excel}?",
    "Faz uma query SQL ({sql_dialect}) que {pt_sql}. Tabelas: {sql_schema}",
    "Corrige essa função pra mim:\n{py_snip}",
    "Converte esse código para {proglang}:\n{py_snip}",
    "regex que valide {pt_regex}",
    "Completa essa função:\n{stub}",
    "Cria um componente React que {pt_react}",
    "Como eu faço pra {pt_howto} em {proglang}? Manda o código.",
    "Escreve o YAML do Kubernetes para um Deployment com {n:2-6} réplicas, readiness probe em /healthz e limites de CPU e memória.",
    "Gera uma classe em {proglang} para esse JSON:\n{json_snip}",
    "Escreve testes com {py_test_fw} para essa função:\n{py_snip}",
    "Escreve uma função em {proglang} que gere a escala de plantão: {n:3-12} pessoas, rodízio semanal, sem feriados.",
    "Macro VBA que {pt_vba}",
    "filtro jq para {pt_jq}",
    "No pandas, como eu faço para {pt_pandas}? O dataframe se chama df.",
    "Escreve um Dockerfile para uma app {docker_stack}, multi-stage e sem rodar como root.",
    "Escreve um Makefile com alvos build, test e lint para um projeto em {proglang}.",
    "Preciso de uma agregação do MongoDB que some as vendas por mês nos últimos {n:3-24} meses.",
    "componente {fe_framework} com um formulário de login e validação",
    "Script em R que leia {n:2-20} arquivos CSV de uma pasta e junte tudo num data frame.",
];

const PT_PLANNING: &[&str] = &[
    "Monta um plano para {pt_plan} em {n:2-6} meses, com marcos mensais.",
    "Faz um roteiro de {n:3-10} dias em {pt_city} para {pt_viajantes}.",
    "Me ajuda a organizar {pt_evento} para {n:20-200} pessoas em {pt_city}? Quero um cronograma de tarefas.",
    "Plano de onboarding de 30/60/90 dias para um novo {pt_papel}.",
    "Precisamos migrar {migr_pair}. Monta um plano por fases com riscos e responsáveis.",
    "Cronograma de estudos para {pt_prova} em {n:4-16} semanas.",
    "Vou me mudar de {pt_city} para {pt_city#2} em {pt_mes}. Faz uma lista de tarefas semana a semana.",
    "Organiza minha semana: {pt_agenda}, e quero treinar {n:2-4} vezes.",
    "Procura {pt_agente}, compara numa tabela e depois manda um e-mail para {pt_name} com a melhor opção.",
    "Plano de rollout de {rollout_tech} para {n:8-60} sistemas, em ondas, com plano de rollback.",
    "Calendário de campanha de {n:4-12} semanas para lançar {pt_produto} em {pt_country}.",
    "Esse é o nosso script de deploy:\n{deploy_snip}\nComo migramos para blue/green em {n:2-6} semanas? Quero um plano passo a passo, sem código ainda.",
    "Monta o cronograma de fechamento contábil do mês para um time de {n:3-9} pessoas, dia útil por dia útil.",
    "Precisamos ficar em conformidade com a LGPD até {pt_mes}. Faz um plano com frentes de trabalho, responsáveis e prazos.",
    "Vamos contratar {n:3-20} pessoas até o fim do trimestre. Monta o plano de contratação semana a semana.",
    "Planilha de treino de {n:8-20} semanas para uma meia maratona; hoje corro uns {n:10-40} km por semana.",
    "Procura o voo mais barato de Lisboa para o Porto na próxima sexta, reserva um hotel perto do centro por {n:1-4} noites e depois adiciona tudo ao meu calendário.",
    "Planeia a adoção do Kubernetes na empresa ao longo de {n:3-9} meses: fases, formação da equipa e riscos.",
];

const PT_REASONING: &[&str] = &[
    "Um produto custa R$ {n:50-900} com {n:10-40}% de desconto, e no caixa tem mais {n:5-20}%. Quanto eu pago? É o mesmo que somar os descontos?",
    "Se uma ferramenta de {pt_money} economiza {n:2-10} horas por semana para {n:3-30} pessoas que custam R$ {n:60-200} a hora, em quantas semanas ela se paga?",
    "Qual plano sai mais barato em 3 anos: {pt_plan_a} ou {pt_plan_b}?",
    "É verdade que {pt_claim}?",
    "Nosso {svc_id} começou a dar 502 às {time}, logo depois de {pt_mudanca}. Nos logs aparece:\n{log_lines}\nPor que isso aconteceu?",
    "Por que esse código trava às vezes?\n{deadlock_snip}",
    "{pt_name} é mais velho que {pt_name#2}. {pt_name#3} é mais novo que {pt_name#2} mas mais velho que {pt_name#4}. Quem é o segundo mais novo?",
    "Mais ou menos quantos {pt_fermi} existem em {pt_city}? Explica a estimativa.",
    "Temos {n:10-200} servidores, cada um com {n:2-8}% de chance de falhar por ano. Qual a probabilidade de pelo menos um falhar?",
    "Aumentamos os preços em {n:5-15}% e perdemos {n:3-12}% dos clientes. A receita subiu ou caiu?",
    "Por que o {svc_id} ficou mais lento depois que adicionamos réplicas?",
    "Por que essa regex não bate com a string de teste?\n{regex_snip}",
    "Contratar um PJ a R$ {n:100-300} a hora por {n:3-9} meses ou um CLT com salário de {pt_money} por ano mais 70% de encargos: qual sai mais barato?",
    "O teste A/B rodou {n:3-14} dias: B ganha durante a semana mas perde no fim de semana. Dá para confiar no resultado geral?",
    "Se {pt_name} lê {n:20-60} páginas por dia e {pt_name#2} lê {n:10-40}, mas começou {n:2-9} dias antes, quando {pt_name} alcança num livro de {n:300-900} páginas?",
    "Nosso job noturno costuma levar {n:20-50} minutos, mas ontem levou {n:3-6} horas com o mesmo volume de dados. O que pode explicar isso?",
];

const JA_CODE: &[&str] = &[
    "{proglang}で{ja_ctask}関数を書いてください。",
    "{ja_bash}bashのワンライナーを教えて",
    "Excelで{ja_excel}数式を教えてください。",
    "{sql_dialect}で{ja_sql}SQLを書いて。テーブル: {sql_schema}",
    "この関数を直してください：\n{py_snip}",
    "このコードを{proglang}に書き換えてほしいです。\n{js_snip}",
    "{ja_regex}にマッチする正規表現をください",
    "この関数の続きを実装して：\n{stub}",
    "{docker_stack}アプリ用のDockerfileを書いてください。イメージはなるべく小さくしたいです。",
    "{proglang}で{ja_howto}にはどう書けばいいですか？サンプルコードをお願いします。",
    "この関数に指数バックオフ付きのリトライ処理を追加して：\n{py_http_snip}",
    "このJSONに対応する{proglang}の型定義を書いてください：\n{json_snip}",
    "この関数の{py_test_fw}テストを書いて：\n{py_snip}",
    "{n:3-12}人で週替わりのオンコール当番表を作る{proglang}の関数を書いてください。祝日は除外で。",
    "{ja_vba}VBAマクロを書いてください。",
    "jqで{ja_jq}フィルタを教えて",
    "pandasで{ja_pandas}にはどうすればいいですか？dfというデータフレームです。",
    "{svc_id}用にレプリカ{n:2-6}、/healthzのreadiness probe付きのKubernetes Deploymentを書いてください。",
    "S3バケット（バージョニング有効、{n:7-90}日で削除）を作るTerraformモジュールを書いてください。",
    "5xxエラー率をサービスごとに出すPromQLクエリを教えて。範囲は{n:5-30}分で。",
    "{fe_framework}で検索ボックス付きの一覧コンポーネントを作ってください。",
    "Ansibleでnginxをインストールしてポート{n:3000-9000}にプロキシするplaybookを書いて。",
];

const JA_PLANNING: &[&str] = &[
    "{ja_plan}ための計画を立ててください。期間は{n:2-6}か月で、月ごとのマイルストーン付きでお願いします。",
    "{ja_city}で{n:3-10}日間の旅行プランを作って。{ja_ryoko}です。",
    "{n:20-200}人規模の{ja_event}を{ja_city}で開催します。準備のスケジュールを逆算で作ってください。",
    "新しく入る{ja_role}向けに、最初の90日間のオンボーディング計画を週単位で作成してください。",
    "{migr_pair}の移行計画をフェーズ、リスク、担当者ごとに整理してください。",
    "{ja_exam}まであと{n:4-16}週間です。週{n:5-15}時間で勉強計画を立てて。",
    "{ja_month}に{ja_city}から{ja_city#2}へ引っ越します。週ごとのやることリストを作ってください。",
    "今週の予定を組んでください：{ja_agenda}。ジムにも週{n:2-4}回行きたいです。",
    "{ja_agent}を調べて表で比較し、そのあと{ja_name}さんにメールで結果を送ってください。",
    "{rollout_tech}を{n:8-60}個の社内システムに段階的に展開する計画を作ってください。ロールバック手順も含めて。",
    "{ja_product}の発売に向けて、{n:4-12}週間のマーケティングカレンダーを作って。",
    "今のデプロイスクリプトはこれです：\n{deploy_snip}\n{n:2-6}週間でブルーグリーンデプロイに移行するための手順を計画してください。コードはまだ不要です。",
    "経理{n:3-9}人で月次決算を回すためのスケジュールを、営業日ごとに作ってください。",
    "{ja_month}までに{compliance}に対応する必要があります。作業項目、担当、期限を含む計画を作って。",
    "今期中にエンジニアを{n:3-20}人採用したいです。週ごとの採用計画を立ててください。",
    "ハーフマラソンに向けて{n:8-20}週間の練習計画を作って。今は週{n:10-40}kmくらい走っています。",
    "通販サイトで評価4以上の一番安いモニターを探してカートに入れ、{n:2-7}日以内に届くか確認して。手順を教えてください。",
    "{n:3-9}か月かけてTerraformに移行する計画を立ててください。どの環境から始めるか、レビュー体制も含めて。",
];

const JA_REASONING: &[&str] = &[
    "{n:2000-30000}円の商品が{n:10-40}%引きで、さらにレジで{n:5-20}%引きになります。最終的にいくらですか？割引率を足した場合と同じになりますか？",
    "{ja_money}のツールを導入すると、{n:3-30}人がそれぞれ週{n:2-10}時間節約できます。時給{n:2000-6000}円として、何週間で元が取れますか？",
    "3年間で見ると、{ja_plan_a}と{ja_plan_b}のどちらが安いですか？理由も教えて。",
    "{ja_claim}というのは本当ですか？",
    "{time}ごろ、{ja_change}の直後から{svc_id}が502を返すようになりました。ログはこうです：\n{log_lines}\n原因は何でしょうか？",
    "このコードがたまに固まるのはなぜですか？\n{deadlock_snip}",
    "{ja_name}は{ja_name#2}より年上で、{ja_name#3}は{ja_name#2}より年下ですが{ja_name#4}より年上です。2番目に若いのは誰ですか？",
    "{ja_city}には{ja_fermi}がだいたいどのくらいあると思いますか？推定の過程も説明してください。",
    "サーバーが{n:10-200}台あり、それぞれ年間{n:2-8}%の確率で故障します。少なくとも1台が故障する確率は？",
    "価格を{n:5-15}%上げたら顧客が{n:3-12}%減りました。売上は増えたのか減ったのか、どれくらいですか？",
    "レプリカを増やしたのに{svc_id}が遅くなったのはなぜでしょう？",
    "この正規表現がテスト文字列にマッチしないのはなぜ？\n{regex_snip}",
    "時給{n:4000-9000}円の業務委託を{n:3-9}か月使うのと、年収{ja_money}の正社員を雇う（社会保険などで+30%）のとでは、どちらが安いですか？",
    "ABテストを{n:3-14}日間回したら、Bは平日は勝って週末は負けました。全体の結果を信用していいですか？",
    "{ja_name}さんは1日{n:20-60}ページ、{ja_name#2}さんは1日{n:10-40}ページ読みますが、{ja_name#2}さんは{n:2-9}日早く読み始めました。{n:300-900}ページの本で、{ja_name}さんはいつ追いつきますか？",
    "いつもは{n:20-50}分で終わる夜間バッチが、昨夜は同じデータ量なのに{n:3-6}時間かかりました。何が考えられますか？",
];

const ZH_CODE: &[&str] = &[
    "用{proglang}写一个函数，{zh_ctask}。",
    "给我一个bash命令，{zh_bash}",
    "Excel里怎么写公式{zh_excel}？",
    "写一个{sql_dialect}的SQL，{zh_sql}。表结构：{sql_schema}",
    "帮我修一下这个函数：\n{py_snip}",
    "把这段代码改写成{proglang}：\n{js_snip}",
    "写个正则，匹配{zh_regex}",
    "补全这个函数：\n{stub}",
    "帮我写一个GitHub Actions工作流，每次提PR都跑`{ci_cmd}`，并缓存依赖",
    "{proglang}里怎么{zh_howto}？给个代码示例",
    "给这个函数加上指数退避重试：\n{py_http_snip}",
    "根据这个JSON生成{proglang}的结构体定义：\n{json_snip}",
    "给这个函数写{py_test_fw}单元测试：\n{py_snip}",
    "用{proglang}写一个函数，为{n:3-12}个人生成按周轮换的值班表，跳过法定节假日。",
    "写一个VBA宏，{zh_vba}",
    "jq怎么写，{zh_jq}",
    "pandas里怎么{zh_pandas}？数据框叫df。",
    "给{svc_id}写一个Kubernetes Deployment，{n:2-6}个副本，/healthz做就绪探针。",
    "帮我写一个 Terraform 模块，创建带 {n:2-4} 个私有子网的 VPC。",
    "写一个 PromQL 查询，统计每个服务最近 {n:5-30} 分钟的 5xx 错误率。",
    "用 {fe_framework} 写一个带分页的表格组件",
    "写一个 MongoDB 聚合查询，按月统计最近 {n:3-24} 个月的订单金额。",
];

const ZH_PLANNING: &[&str] = &[
    "帮我制定一个{zh_plan}的计划，时间{n:2-6}个月，按月列出里程碑。",
    "帮我安排一个{zh_city}{n:3-10}天的行程，{zh_travelers}。",
    "我们要在{zh_city}办一场{n:20-200}人的{zh_event}，请倒排一个筹备时间表。",
    "给新入职的{zh_role}做一个90天入职计划，按周列出来。",
    "{migr_pair}的迁移方案：分几个阶段、有哪些风险、谁负责？",
    "离{zh_exam}还有{n:4-16}周，每周能学{n:5-15}小时，帮我排个复习计划。",
    "我{n:1-12}月份要从{zh_city}搬到{zh_city#2}，帮我列一个按周的搬家清单。",
    "帮我排一下这周的日程：{zh_agenda}，还想去{n:2-4}次健身房。",
    "先查一下{zh_agent}，整理成表格对比，然后发邮件把结论告诉{zh_name}。",
    "把{rollout_tech}分批推广到{n:8-60}个内部系统，出一个分阶段上线计划，含回滚方案。",
    "为{zh_product}上市做一个{n:4-12}周的营销日历。",
    "这是我们现在的部署脚本：\n{deploy_snip}\n怎么在{n:2-6}周内切换到蓝绿部署？先给我分步骤的计划，不用写代码。",
    "财务组{n:3-9}个人，帮我排一个月结的工作日程，按工作日列出每天做什么。",
    "我们要在{n:3-9}个月内满足{compliance}的要求，请列一个项目计划：工作项、负责人和时间节点。",
    "这个季度要招{n:3-20}个工程师，帮我做一个按周的招聘计划。",
    "帮我制定一个{n:8-20}周的半马训练计划，我现在每周跑{n:10-40}公里。",
    "先查一下我下周的日程，如果周三下午有空，就和产品团队约一个{n:30-90}分钟的会，然后把议程发邮件给大家。",
    "帮我规划一下在{n:2-6}个月内把监控从邮件告警迁移到 Prometheus 的步骤和时间表。",
];

const ZH_REASONING: &[&str] = &[
    "一件衣服原价{n:200-2000}元，打{n:6-9}折后结账时再减{n:5-20}%，最后要付多少？和直接把两个折扣相加一样吗？",
    "花{zh_money}买一个工具，能让{n:3-30}个人每周各省{n:2-10}小时，按时薪{n:80-400}元算，多少周能回本？",
    "三年算下来，{zh_plan_a}和{zh_plan_b}哪个更便宜？说一下推理过程。",
    "{zh_claim}，这是真的吗？",
    "{time}左右，{zh_change}之后{svc_id}开始返回502。日志如下：\n{log_lines}\n为什么会这样？",
    "为什么这段代码有时会卡死？\n{deadlock_snip}",
    "{zh_name}比{zh_name#2}大，{zh_name#3}比{zh_name#2}小但比{zh_name#4}大。谁是第二小的？",
    "估算一下{zh_city}大概有多少{zh_fermi}？请写出估算步骤。",
    "我们有{n:10-200}台服务器，每台每年故障概率是{n:2-8}%，至少一台出故障的概率是多少？",
    "我们涨价{n:5-15}%，流失了{n:3-12}%的客户，收入是涨了还是跌了？",
    "为什么加了副本之后{svc_id}反而变慢了？",
    "为什么这个正则匹配不上测试字符串？\n{regex_snip}",
    "外包按每小时{n:200-600}元干{n:3-9}个月，和招一个年薪{zh_money}的正式员工（另加40%社保公积金）比，哪个更划算？",
    "A/B测试跑了{n:3-14}天，B在工作日赢、周末输，整体结果可信吗？",
    "{zh_name}每天读{n:20-60}页，{zh_name#2}每天读{n:10-40}页但早开始了{n:2-9}天，一本{n:300-900}页的书，{zh_name}什么时候能追上？",
    "夜间任务平时{n:20-50}分钟跑完，昨晚数据量一样却跑了{n:3-6}个小时，可能是什么原因？",
];

const IT_CODE: &[&str] = &[
    "Scrivimi una funzione in {proglang} che {it_ctask}.",
    "Mi serve una formula Excel per {it_excel}.",
    "Correggi questa funzione per favore:\n{py_snip}",
    "Completa questa funzione:\n{stub}",
];

const IT_PLANNING: &[&str] = &[
    "Fammi un itinerario di {n:3-10} giorni a {it_city} per {it_viaggiatori}.",
    "Prepara un piano per {it_plan} in {n:2-6} mesi, con le tappe principali.",
    "Organizza {it_evento} per {n:20-200} persone a {it_city}: cosa fare e quando.",
    "Piano di onboarding di 90 giorni per un nuovo {it_ruolo}, settimana per settimana.",
];

const IT_REASONING: &[&str] = &[
    "Un prodotto costa {n:20-400} € con il {n:10-40}% di sconto e poi un altro {n:5-20}% alla cassa. Quanto pago? È uguale a sommare gli sconti?",
    "È vero che {it_claim}?",
    "Perché questo codice a volte si blocca?\n{deadlock_snip}",
    "Abbiamo {n:10-200} server, ognuno con il {n:2-8}% di probabilità di guastarsi in un anno. Qual è la probabilità che se ne guasti almeno uno?",
];

const KO_CODE: &[&str] = &[
    "{proglang}로 {ko_ctask} 함수를 작성해 주세요.",
    "이 함수 좀 고쳐 주세요:\n{py_snip}",
    "이 함수를 완성해 줘:\n{stub}",
    "엑셀에서 {ko_excel} 수식 알려 주세요.",
];

const KO_PLANNING: &[&str] = &[
    "{ko_city} {n:3-10}일 여행 일정을 짜 주세요. {ko_travelers}입니다.",
    "{ko_plan} 계획을 {n:2-6}개월 단위로 세워 주세요. 월별 목표도 함께요.",
    "새로 입사한 {ko_role}를 위한 90일 온보딩 계획을 주 단위로 만들어 주세요.",
    "{ko_exam}까지 {n:4-16}주 남았어요. 공부 계획 좀 세워 줘.",
];

const KO_REASONING: &[&str] = &[
    "{n:20000-300000}원짜리 상품이 {n:10-40}% 할인에 계산대에서 {n:5-20}% 추가 할인이면 최종 가격은 얼마인가요? 할인율을 더한 것과 같나요?",
    "{ko_claim}는 게 사실인가요?",
    "이 코드가 가끔 멈추는 이유가 뭘까요?\n{deadlock_snip}",
    "서버가 {n:10-200}대 있고 각각 연간 고장 확률이 {n:2-8}%일 때, 적어도 한 대가 고장 날 확률은?",
];

/// Natively written slot values for the non-English templates.
fn multilingual_pool(name: &str) -> Option<&'static [&'static str]> {
    let values: &'static [&'static str] = match name {
        // ---- shared, language-neutral tech names ----
        "migr_pair" => &[
            "Jenkins → GitHub Actions",
            "MySQL 5.7 → Aurora PostgreSQL",
            "Heroku → AWS ECS",
            "Redshift → Snowflake",
            "Datadog → Grafana Cloud",
            "HubSpot → Salesforce",
            "Oracle → PostgreSQL",
            "on-prem → Azure",
            "SVN → Git",
        ],
        "rollout_tech" => &[
            "Okta SSO",
            "MFA",
            "OpenTelemetry",
            "Kubernetes 1.30",
            "PostgreSQL 16",
            "HashiCorp Vault",
            "Microsoft Intune",
            "Zscaler",
            "Backstage",
        ],
        "svc_id" => &[
            "checkout-api",
            "auth-service",
            "search-cluster",
            "payments-worker",
            "api-gateway",
            "image-resizer",
            "etl-nightly",
        ],
        "docker_stack" => &[
            "FastAPI",
            "Node 20 + pnpm",
            "Go",
            "Django + gunicorn",
            "Rust",
            "Spring Boot",
            "Next.js",
        ],
        "ci_cmd" => &[
            "pytest",
            "cargo test",
            "npm test",
            "go test ./...",
            "mvn verify",
            "dotnet test",
            "pnpm lint && pnpm test",
        ],
        // ---- per-language names, places and prices ----
        "es_name" => &[
            "Lucía", "Javier", "Carmen", "Diego", "Marta", "Pablo", "Sofía", "Andrés",
        ],
        "es_city" => &[
            "Madrid",
            "Sevilla",
            "Valencia",
            "Bilbao",
            "Ciudad de México",
            "Buenos Aires",
            "Lisboa",
            "Roma",
            "Bogotá",
            "Granada",
        ],
        "es_country" => &["México", "Colombia", "Chile", "Argentina", "España", "Perú"],
        "es_money" => &["3.000 €", "12.500 €", "40.000 €", "8.000 €", "150.000 €"],
        "es_plan_a" => &[
            "29 € al mes más 99 € de alta",
            "300 € al año pagados por adelantado",
            "25 € al mes con una subida del 10 % cada año",
            "0 € fijos y 0,02 € por transacción",
        ],
        "es_plan_b" => &[
            "35 € al mes sin alta",
            "79 € al trimestre",
            "280 € al año más 120 € de implantación",
            "40 € al mes tarifa plana",
        ],
        "de_name" => &[
            "Jonas", "Lena", "Felix", "Anna", "Lukas", "Marie", "Paul", "Sophie",
        ],
        "de_city" => &[
            "München",
            "Hamburg",
            "Wien",
            "Zürich",
            "Köln",
            "Leipzig",
            "Lissabon",
            "Rom",
            "Kopenhagen",
            "Dresden",
        ],
        "de_money" => &["5.000 €", "12.000 €", "30.000 €", "80.000 €", "2.500 €"],
        "de_plan_a" => &[
            "29 € im Monat plus 99 € Einrichtungsgebühr",
            "300 € im Jahr im Voraus",
            "25 € im Monat mit 10 % Preiserhöhung pro Jahr",
            "0 € Grundgebühr und 2 Cent pro Transaktion",
        ],
        "de_plan_b" => &[
            "35 € im Monat ohne Einrichtung",
            "79 € pro Quartal",
            "280 € im Jahr plus einmalig 120 € Onboarding",
            "40 € im Monat pauschal",
        ],
        "fr_name" => &[
            "Camille", "Julien", "Léa", "Thomas", "Manon", "Hugo", "Chloé", "Nicolas",
        ],
        "fr_city" => &[
            "Lyon",
            "Bordeaux",
            "Marseille",
            "Nantes",
            "Montréal",
            "Bruxelles",
            "Genève",
            "Lisbonne",
            "Rome",
            "Toulouse",
        ],
        "fr_country" => &[
            "Belgique",
            "Suisse",
            "Canada",
            "Maroc",
            "Espagne",
            "Allemagne",
        ],
        "fr_money" => &["5 000 €", "12 000 €", "30 000 €", "80 000 €", "2 500 €"],
        "fr_plan_a" => &[
            "29 € par mois plus 99 € de frais d'installation",
            "300 € par an payés d'avance",
            "25 € par mois avec 10 % d'augmentation chaque année",
            "0 € d'abonnement et 2 centimes par transaction",
        ],
        "fr_plan_b" => &[
            "35 € par mois sans frais",
            "79 € par trimestre",
            "280 € par an plus 120 € de mise en service",
            "40 € par mois forfaitaire",
        ],
        "pt_name" => &[
            "João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Rafael", "Camila",
        ],
        "pt_city" => &[
            "São Paulo",
            "Rio de Janeiro",
            "Lisboa",
            "Porto",
            "Salvador",
            "Florianópolis",
            "Belo Horizonte",
            "Buenos Aires",
            "Recife",
        ],
        "pt_country" => &[
            "Portugal",
            "México",
            "Argentina",
            "Angola",
            "Chile",
            "Colômbia",
        ],
        "pt_money" => &[
            "R$ 15 mil",
            "R$ 40 mil",
            "R$ 120 mil",
            "R$ 8 mil",
            "R$ 250 mil",
        ],
        "pt_plan_a" => &[
            "R$ 99 por mês mais R$ 300 de adesão",
            "R$ 1.000 por ano pagos à vista",
            "R$ 89 por mês com reajuste de 10% ao ano",
            "sem mensalidade e R$ 0,10 por transação",
        ],
        "pt_plan_b" => &[
            "R$ 120 por mês sem adesão",
            "R$ 270 por trimestre",
            "R$ 950 por ano mais R$ 400 de implantação",
            "R$ 130 por mês fixo",
        ],
        "ja_name" => &[
            "佐藤", "鈴木", "高橋", "田中", "伊藤", "山本", "中村", "小林",
        ],
        "ja_city" => &[
            "京都",
            "札幌",
            "福岡",
            "那覇",
            "金沢",
            "大阪",
            "ソウル",
            "台北",
            "バンコク",
            "パリ",
        ],
        "ja_money" => &["50万円", "120万円", "300万円", "30万円", "800万円"],
        "ja_plan_a" => &[
            "月額3,000円＋初期費用1万円",
            "年額3万円の前払い",
            "月額2,500円で毎年10%値上げ",
            "基本料0円で1件あたり3円",
        ],
        "ja_plan_b" => &[
            "月額3,800円で初期費用なし",
            "四半期ごとに9,000円",
            "年額2万8千円＋導入費1万2千円",
            "月額4,000円の定額",
        ],
        "zh_name" => &[
            "王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵磊", "周婷",
        ],
        "zh_city" => &[
            "成都",
            "杭州",
            "西安",
            "厦门",
            "大理",
            "重庆",
            "东京",
            "首尔",
            "曼谷",
            "新加坡",
        ],
        "zh_money" => &["5万元", "12万元", "30万元", "2万元", "80万元"],
        "zh_plan_a" => &[
            "每月199元另加999元开通费",
            "每年1999元一次性付清",
            "每月169元、每年涨价10%",
            "不收月费、每笔交易0.2元",
        ],
        "zh_plan_b" => &[
            "每月249元无开通费",
            "每季度599元",
            "每年1800元外加800元实施费",
            "每月260元包月",
        ],
        "it_city" => &[
            "Roma",
            "Firenze",
            "Napoli",
            "Torino",
            "Palermo",
            "Lisbona",
            "Barcellona",
        ],
        "ko_city" => &["부산", "제주", "도쿄", "오사카", "방콕", "다낭"],
        "es_vba" => &[
            "guarde cada hoja como un PDF aparte",
            "borre las filas vacías de la hoja activa",
            "junte todos los CSV de una carpeta en una hoja",
            "mande un correo por Outlook a cada responsable de la columna B",
        ],
        "es_jq" => &[
            "los nombres de los pods que no están en Running",
            "todos los usuarios con email de @empresa.es",
            "la suma de .precio de todos los items",
            "un CSV con nombre, estado y fecha",
        ],
        "es_pandas" => &[
            "pivotar las ventas por mes",
            "rellenar los nulos con el valor anterior de cada cliente",
            "unir dos dataframes por id sin perder filas",
            "agrupar por categoría y sacar el porcentaje de cada una",
        ],
        "de_vba" => &[
            "jedes Tabellenblatt als eigene PDF speichert",
            "leere Zeilen im aktiven Blatt löscht",
            "alle CSV-Dateien eines Ordners in ein Blatt zusammenführt",
            "jedem Verantwortlichen aus Spalte B eine Outlook-Mail schickt",
        ],
        "de_jq" => &[
            "die Namen aller Pods, die nicht Running sind",
            "alle Nutzer mit einer @firma.de-Adresse",
            "die Summe von .preis über alle Items",
            "eine CSV mit Name, Status und Datum",
        ],
        "de_pandas" => &[
            "die Umsätze nach Monat pivotieren",
            "fehlende Werte pro Kunde mit dem Vorwert füllen",
            "zwei DataFrames über die id zusammenführen, ohne Zeilen zu verlieren",
            "pro Kategorie den Anteil am Gesamtumsatz berechnen",
        ],
        "fr_vba" => &[
            "enregistre chaque feuille dans un PDF séparé",
            "supprime les lignes vides de la feuille active",
            "fusionne tous les CSV d'un dossier dans une feuille",
            "envoie un mail Outlook à chaque responsable de la colonne B",
        ],
        "fr_jq" => &[
            "récupérer le nom des pods qui ne sont pas Running",
            "lister les utilisateurs avec une adresse @societe.fr",
            "faire la somme de .prix sur tous les items",
            "sortir un CSV nom, statut, date",
        ],
        "fr_pandas" => &[
            "pivoter les ventes par mois",
            "remplir les valeurs manquantes avec la précédente par client",
            "fusionner deux dataframes sur l'id sans perdre de lignes",
            "calculer la part de chaque catégorie dans le total",
        ],
        "pt_vba" => &[
            "salve cada aba como um PDF separado",
            "apague as linhas vazias da planilha ativa",
            "junte todos os CSV de uma pasta numa aba só",
            "mande um e-mail pelo Outlook para cada responsável da coluna B",
        ],
        "pt_jq" => &[
            "pegar o nome dos pods que não estão Running",
            "listar usuários com e-mail @empresa.com.br",
            "somar .preco de todos os itens",
            "gerar um CSV com nome, status e data",
        ],
        "pt_pandas" => &[
            "pivotar as vendas por mês",
            "preencher os nulos com o valor anterior de cada cliente",
            "juntar dois dataframes pelo id sem perder linhas",
            "calcular a participação de cada categoria no total",
        ],
        "ja_vba" => &[
            "シートごとに別々のPDFとして保存する",
            "アクティブシートの空行を削除する",
            "フォルダ内のCSVを1枚のシートにまとめる",
            "B列の担当者にOutlookでメールを送る",
        ],
        "ja_jq" => &[
            "Runningではないポッドの名前を出す",
            "@example.co.jpのメールを持つユーザーを抜き出す",
            "全アイテムの.priceを合計する",
            "名前・状態・日付のCSVを出力する",
        ],
        "ja_pandas" => &[
            "売上を月ごとにピボットする",
            "顧客ごとに欠損値を直前の値で埋める",
            "2つのデータフレームをidで行を落とさずに結合する",
            "カテゴリごとの構成比を計算する",
        ],
        "zh_vba" => &[
            "把每个工作表分别导出成PDF",
            "删除当前工作表里的空行",
            "把一个文件夹里的CSV合并到一个表里",
            "给B列的负责人逐个发Outlook邮件",
        ],
        "zh_jq" => &[
            "取出状态不是Running的pod名字",
            "筛出邮箱是@example.cn的用户",
            "把所有item的.price加起来",
            "输出名称、状态、日期的CSV",
        ],
        "zh_pandas" => &[
            "按月做销售透视表",
            "按客户用上一行的值填充缺失值",
            "按id合并两个数据框且不丢行",
            "计算每个类别占总数的比例",
        ],
        // ---- Spanish ----
        "es_ctask" => &[
            "elimine duplicados de una lista sin perder el orden",
            "valide un NIF o NIE",
            "calcule los días hábiles entre dos fechas",
            "agrupe pedidos por cliente y sume los importes",
            "lea un CSV y lo convierta en JSON",
            "convierta números romanos a enteros",
            "enmascare un número de tarjeta salvo los últimos cuatro dígitos",
            "haga reintentos de una petición HTTP",
        ],
        "es_bash" => &[
            "borre los logs de más de 30 días",
            "cuente las IPs únicas del access.log de nginx",
            "busque archivos de más de 1 GB",
            "renombre todos los .jpeg a .jpg",
            "mate el proceso que usa el puerto 8080",
            "haga copia de seguridad de una base de datos postgres con la fecha en el nombre",
        ],
        "es_excel" => &[
            "buscar el precio de un producto en otra hoja",
            "contar las filas con estado Pendiente",
            "sumar solo las ventas del mes actual",
            "marcar duplicados en la columna A",
            "separar nombre y apellidos",
            "calcular días laborables entre dos fechas sin festivos",
        ],
        "es_sql" => &[
            "saque los 5 clientes con más facturación de los últimos 90 días",
            "encuentre emails duplicados",
            "calcule los usuarios activos por mes",
            "devuelva el segundo salario más alto por departamento",
            "calcule la media móvil de 7 días de pedidos",
        ],
        "es_regex" => &[
            "un código postal español",
            "un email corporativo",
            "fechas en formato dd/mm/aaaa",
            "un número de teléfono móvil español",
            "una matrícula de coche",
        ],
        "es_react" => &[
            "muestre una tabla paginada con ordenación",
            "tenga un buscador con debounce",
            "suba un archivo con barra de progreso",
            "tenga un formulario en varios pasos con validación",
        ],
        "es_howto" => &[
            "leer un fichero línea a línea",
            "hacer una petición POST con JSON",
            "ordenar un diccionario por valor",
            "leer variables de entorno con valor por defecto",
            "formatear una fecha como AAAA-MM-DD",
        ],
        "es_plan" => &[
            "lanzar un podcast",
            "preparar la certificación ISO 27001",
            "migrar el CRM a Salesforce",
            "reformar la cocina",
            "aprender inglés hasta un B2",
            "abrir una segunda tienda",
            "reducir un 20 % el gasto en la nube",
        ],
        "es_viajeros" => &[
            "una pareja con presupuesto ajustado",
            "una familia con dos niños pequeños",
            "cuatro amigos a los que les encanta comer bien",
            "mis padres, que no pueden caminar mucho",
        ],
        "es_evento" => &[
            "una boda",
            "la convención anual de clientes",
            "un offsite del equipo",
            "un hackathon",
            "la fiesta de fin de año de la empresa",
        ],
        "es_rol" => &[
            "desarrollador backend",
            "analista de datos",
            "comercial",
            "responsable de atención al cliente",
            "diseñador de producto",
        ],
        "es_agenda" => &[
            "dos entrevistas, la presentación al comité el jueves y el dentista el martes",
            "tres reuniones con clientes y un informe que entregar el viernes",
            "el cierre contable, una formación y recoger a los niños a las 17:00",
        ],
        "es_mes" => &["marzo", "junio", "septiembre", "noviembre", "enero"],
        "es_examen" => &[
            "las oposiciones",
            "el examen de AWS Solutions Architect",
            "la selectividad",
            "el DELE C1",
            "el examen de estadística",
        ],
        "es_agente" => &[
            "los tres vuelos directos más baratos a Lima",
            "hoteles de cuatro estrellas cerca del recinto ferial",
            "las facturas de AWS de los últimos seis meses",
            "proveedores de catering en Valencia",
        ],
        "es_producto" => &[
            "nuestra app de finanzas personales",
            "una bebida vegetal de avena",
            "una plataforma de facturación para pymes",
            "un curso online de programación",
        ],
        "es_claim" => &[
            "si pierdes un 50 % y luego ganas un 50 % vuelves a estar igual",
            "añadir más gente a un proyecto retrasado lo retrasa todavía más",
            "duplicar los servidores reduce la latencia a la mitad",
            "la mediana del salario siempre es menor que la media",
        ],
        "es_cambio" => &[
            "cambiar el pool de conexiones a 10",
            "renovar el certificado",
            "actualizar Node de la 18 a la 20",
            "mover el DNS a un nuevo balanceador",
        ],
        "es_fermi" => &[
            "afinadores de piano",
            "cafeterías",
            "dentistas",
            "puntos de recarga para coches eléctricos",
        ],
        // ---- German ----
        "de_ctask" => &[
            "Duplikate aus einer Liste entfernt und die Reihenfolge behält",
            "eine IBAN prüft",
            "die Arbeitstage zwischen zwei Daten berechnet",
            "eine CSV-Datei einliest und als JSON ausgibt",
            "Bestellungen nach Kunde gruppiert und summiert",
            "einen HTTP-Request mit Backoff wiederholt",
            "römische Zahlen in Ganzzahlen umwandelt",
        ],
        "de_bash" => &[
            "alle Logdateien älter als 30 Tage löscht",
            "die eindeutigen IPs im nginx-Log zählt",
            "Dateien über 1 GB unter /var findet",
            "den Prozess auf Port 8080 beendet",
            "alle .jpeg in .jpg umbenennt",
        ],
        "de_excel" => &[
            "einen Preis per Artikelnummer aus einem anderen Blatt zu holen",
            "Zeilen mit Status offen zu zählen",
            "nur die Umsätze des aktuellen Monats zu summieren",
            "Duplikate in Spalte A zu markieren",
            "Vor- und Nachnamen zu trennen",
        ],
        "de_sql" => &[
            "die Top-5-Kunden nach Umsatz der letzten 90 Tage liefert",
            "doppelte E-Mail-Adressen findet",
            "monatlich aktive Nutzer berechnet",
            "das zweithöchste Gehalt pro Abteilung ermittelt",
        ],
        "de_regex" => &[
            "deutsche Postleitzahlen",
            "IBANs",
            "Datumsangaben im Format TT.MM.JJJJ",
            "deutsche Handynummern",
            "Kfz-Kennzeichen",
        ],
        "de_howto" => &[
            "eine Datei zeilenweise lesen",
            "einen POST-Request mit JSON schicken",
            "Umgebungsvariablen mit Default lesen",
            "ein Datum als JJJJ-MM-TT formatieren",
            "eine Map nach Wert sortieren",
        ],
        "de_plan" => &[
            "die ISO-27001-Zertifizierung",
            "den Umstieg auf SAP S/4HANA",
            "die Einführung von Microsoft Teams im ganzen Konzern",
            "unseren Markteintritt in Österreich",
            "die Umstellung auf E-Rechnungen",
            "die Digitalisierung der Personalakten",
        ],
        "de_monat" => &["Ende März", "Juni", "Ende Q3", "Jahresende", "Oktober"],
        "de_reisende" => &[
            "zwei Erwachsene und ein Kind",
            "meine Eltern, beide über 70",
            "vier Freunde mit kleinem Budget",
            "mich allein",
        ],
        "de_rolle" => &[
            "Backend-Entwicklerin",
            "Vertriebsmitarbeiterin",
            "Data Analystin",
            "Teamleiterin im Support",
            "Werkstudentin",
        ],
        "de_event" => &[
            "unser Sommerfest",
            "die Weihnachtsfeier",
            "einen zweitägigen Team-Offsite",
            "einen Hackathon",
            "unsere Kundenkonferenz",
        ],
        "de_pruefung" => &[
            "die IHK-Abschlussprüfung",
            "das Staatsexamen",
            "die AWS-Zertifizierung",
            "meine Statistikklausur",
            "den CKA",
        ],
        "de_termine" => &[
            "zwei Bewerbungsgespräche, Zahnarzt am Dienstag, Vorstandspräsentation am Donnerstag",
            "drei Kundentermine und ein Bericht bis Freitag",
            "Monatsabschluss, eine Schulung und Kita-Abholung um 16 Uhr",
        ],
        "de_agent" => &[
            "die drei günstigsten Direktflüge nach Lissabon",
            "Hotels unter 150 € pro Nacht in Messenähe",
            "alle offenen P1-Tickets in Jira",
            "die Verträge, die im nächsten Quartal auslaufen",
        ],
        "de_claim" => &[
            "man nach 50 % Verlust und 50 % Gewinn wieder beim Ausgangswert ist",
            "mehr Leute ein verspätetes Projekt noch später machen",
            "doppelt so viele Server die Latenz halbieren",
            "der Median immer kleiner als der Durchschnitt ist",
        ],
        "de_aenderung" => &[
            "der Umstellung des Connection-Pools auf 10",
            "dem Zertifikatstausch",
            "dem Node-Upgrade von 18 auf 20",
            "der DNS-Umstellung auf den neuen Load Balancer",
        ],
        "de_fermi" => &[
            "Klavierstimmer",
            "Bäckereien",
            "Zahnärzte",
            "Ladesäulen für E-Autos",
        ],
        // ---- French ----
        "fr_ctask" => &[
            "supprime les doublons d'une liste en gardant l'ordre",
            "valide un numéro de SIRET",
            "calcule les jours ouvrés entre deux dates",
            "lit un CSV et le convertit en JSON",
            "regroupe les commandes par client et fait la somme",
            "masque un numéro de carte sauf les quatre derniers chiffres",
            "convertit des chiffres romains en entiers",
        ],
        "fr_bash" => &[
            "supprime les logs de plus de 30 jours",
            "compte les IP uniques dans le access.log de nginx",
            "trouve les fichiers de plus de 1 Go",
            "tue le processus qui écoute sur le port 8080",
            "renomme tous les .jpeg en .jpg",
        ],
        "fr_excel" => &[
            "chercher un prix par référence dans une autre feuille",
            "compter les lignes au statut En cours",
            "additionner les ventes du mois en cours",
            "repérer les doublons dans la colonne A",
            "séparer prénom et nom",
        ],
        "fr_sql" => &[
            "renvoie les 5 meilleurs clients par CA sur 90 jours",
            "trouve les e-mails en double",
            "calcule les utilisateurs actifs par mois",
            "donne le deuxième salaire le plus élevé par service",
        ],
        "fr_regex" => &[
            "un code postal français",
            "un numéro de téléphone français",
            "une date au format JJ/MM/AAAA",
            "une adresse e-mail professionnelle",
            "une plaque d'immatriculation",
        ],
        "fr_howto" => &[
            "lire un fichier ligne par ligne",
            "faire une requête POST en JSON",
            "trier un dictionnaire par valeur",
            "lire une variable d'environnement avec une valeur par défaut",
            "formater une date en AAAA-MM-JJ",
        ],
        "fr_plan" => &[
            "notre certification ISO 27001",
            "la migration de notre CRM vers Salesforce",
            "le lancement de notre podcast",
            "l'ouverture d'un bureau à Lyon",
            "la mise en conformité RGPD",
            "la refonte de notre site e-commerce",
        ],
        "fr_mois" => &[
            "mars",
            "juin",
            "septembre",
            "décembre",
            "la fin du trimestre",
        ],
        "fr_voyageurs" => &[
            "un couple avec un petit budget",
            "une famille avec deux enfants",
            "quatre amis qui adorent la gastronomie",
            "mes parents qui marchent peu",
        ],
        "fr_role" => &[
            "développeur backend",
            "commercial",
            "analyste de données",
            "responsable support",
            "chef de produit",
        ],
        "fr_event" => &[
            "un séminaire d'équipe",
            "notre convention clients",
            "un mariage",
            "un hackathon",
            "la soirée de fin d'année",
        ],
        "fr_examen" => &[
            "le bac",
            "le concours d'entrée",
            "la certification AWS",
            "mon partiel de statistiques",
            "le DELF B2",
        ],
        "fr_agenda" => &[
            "deux entretiens, le dentiste mardi et un comité de direction jeudi",
            "trois rendez-vous clients et un rapport à rendre vendredi",
            "la clôture mensuelle, une formation et la sortie d'école à 16h30",
        ],
        "fr_agent" => &[
            "les trois vols directs les moins chers pour Montréal",
            "des hôtels à moins de 150 € près du salon",
            "toutes les factures AWS des six derniers mois",
            "les contrats qui arrivent à échéance le trimestre prochain",
        ],
        "fr_produit" => &[
            "notre appli de budget",
            "une boisson à l'avoine",
            "notre outil de facturation pour TPE",
            "une formation en ligne",
        ],
        "fr_claim" => &[
            "perdre 50 % puis gagner 50 % ramène au point de départ",
            "ajouter des gens à un projet en retard le retarde encore plus",
            "doubler les serveurs divise la latence par deux",
            "la médiane est toujours inférieure à la moyenne",
        ],
        "fr_changement" => &[
            "le passage du pool de connexions à 10",
            "le renouvellement du certificat",
            "la mise à jour de Node 18 vers 20",
            "la bascule DNS vers le nouveau load balancer",
        ],
        "fr_fermi" => &[
            "accordeurs de piano",
            "boulangeries",
            "dentistes",
            "bornes de recharge",
        ],
        // ---- Portuguese ----
        "pt_ctask" => &[
            "remova duplicados de uma lista mantendo a ordem",
            "valide um CPF",
            "calcule os dias úteis entre duas datas",
            "leia um CSV e converta para JSON",
            "agrupe pedidos por cliente e some os valores",
            "mascare o número do cartão menos os quatro últimos dígitos",
        ],
        "pt_bash" => &[
            "apague logs com mais de 30 dias",
            "conte os IPs únicos no access.log do nginx",
            "ache arquivos maiores que 1 GB",
            "mate o processo na porta 8080",
            "faça backup do postgres com a data no nome",
        ],
        "pt_excel" => &[
            "buscar o preço pelo código em outra planilha",
            "contar linhas com status Pendente",
            "somar só as vendas do mês atual",
            "destacar duplicados na coluna A",
            "separar nome e sobrenome",
        ],
        "pt_sql" => &[
            "traga os 5 clientes com maior faturamento nos últimos 90 dias",
            "ache e-mails duplicados",
            "calcule usuários ativos por mês",
            "retorne o segundo maior salário por departamento",
        ],
        "pt_regex" => &[
            "um CEP",
            "um CPF com ou sem pontuação",
            "datas no formato dd/mm/aaaa",
            "celular brasileiro com DDD",
            "placa de carro no padrão Mercosul",
        ],
        "pt_react" => &[
            "mostre uma tabela paginada com ordenação",
            "tenha uma busca com debounce",
            "faça upload de arquivo com barra de progresso",
            "tenha um formulário em etapas com validação",
        ],
        "pt_howto" => &[
            "ler um arquivo linha por linha",
            "fazer um POST com JSON",
            "ordenar um dicionário pelo valor",
            "ler variável de ambiente com valor padrão",
            "formatar data como AAAA-MM-DD",
        ],
        "pt_plan" => &[
            "lançar um podcast",
            "tirar a certificação ISO 27001",
            "migrar o ERP para a nuvem",
            "reformar a cozinha",
            "abrir uma filial em Recife",
            "aprender inglês até o nível B2",
        ],
        "pt_viajantes" => &[
            "um casal com orçamento apertado",
            "uma família com duas crianças",
            "quatro amigos que amam comer bem",
            "meus pais, que não andam muito",
        ],
        "pt_evento" => &[
            "um casamento",
            "a convenção anual de clientes",
            "um offsite do time",
            "um hackathon",
            "a festa de fim de ano",
        ],
        "pt_papel" => &[
            "desenvolvedor backend",
            "analista de dados",
            "vendedor",
            "líder de suporte",
            "designer de produto",
        ],
        "pt_prova" => &[
            "o ENEM",
            "a OAB",
            "a certificação AWS",
            "a prova de cálculo",
            "um concurso público",
        ],
        "pt_mes" => &["março", "junho", "setembro", "dezembro"],
        "pt_agenda" => &[
            "duas entrevistas, dentista na terça e reunião de diretoria na quinta",
            "três reuniões com clientes e um relatório para sexta",
            "fechamento do mês, um treinamento e buscar as crianças às 17h",
        ],
        "pt_agente" => &[
            "os três voos diretos mais baratos para Lisboa",
            "hotéis até R$ 500 a diária perto do evento",
            "todas as faturas da AWS dos últimos seis meses",
            "fornecedores de buffet em Curitiba",
        ],
        "pt_produto" => &[
            "nosso app de finanças",
            "uma bebida de aveia",
            "nossa plataforma de nota fiscal",
            "um curso online",
        ],
        "pt_claim" => &[
            "perder 50% e depois ganhar 50% te deixa no zero a zero",
            "colocar mais gente num projeto atrasado atrasa mais ainda",
            "dobrar os servidores corta a latência pela metade",
            "a mediana é sempre menor que a média",
        ],
        "pt_mudanca" => &[
            "mudar o pool de conexões para 10",
            "renovar o certificado",
            "atualizar o Node de 18 para 20",
            "trocar o DNS para o novo load balancer",
        ],
        "pt_fermi" => &[
            "afinadores de piano",
            "padarias",
            "dentistas",
            "pontos de recarga de carro elétrico",
        ],
        // ---- Japanese ----
        "ja_ctask" => &[
            "リストから重複を取り除いて順序を保つ",
            "2つの日付の間の営業日数を数える",
            "CSVを読み込んでJSONに変換する",
            "注文を顧客ごとに集計する",
            "クレジットカード番号の下4桁以外をマスクする",
            "HTTPリクエストを指数バックオフで再試行する",
            "ローマ数字を整数に変換する",
        ],
        "ja_bash" => &[
            "30日より古いログを削除する",
            "nginxのアクセスログからユニークIPを数える",
            "1GB以上のファイルを探す",
            "8080番ポートを使っているプロセスを止める",
            "拡張子.jpegを.jpgに一括変更する",
        ],
        "ja_excel" => &[
            "別シートから商品コードで価格を引く",
            "ステータスが未対応の行を数える",
            "今月の売上だけを合計する",
            "A列の重複に色を付ける",
            "姓と名を分ける",
        ],
        "ja_sql" => &[
            "直近90日の売上上位5社を出す",
            "重複しているメールアドレスを探す",
            "月間アクティブユーザー数を出す",
            "部署ごとに2番目に高い給与を出す",
        ],
        "ja_regex" => &[
            "日本の郵便番号",
            "携帯電話番号",
            "YYYY/MM/DD形式の日付",
            "社内メールアドレス",
            "全角カタカナだけの文字列",
        ],
        "ja_howto" => &[
            "ファイルを1行ずつ読む",
            "JSONをPOSTする",
            "辞書を値でソートする",
            "環境変数をデフォルト値付きで読む",
            "日付をYYYY-MM-DD形式にする",
        ],
        "ja_plan" => &[
            "ISMS認証を取得する",
            "社内システムをクラウドへ移行する",
            "ポッドキャストを始める",
            "TOEICで800点を取る",
            "副業でアプリをリリースする",
            "キッチンをリフォームする",
        ],
        "ja_ryoko" => &[
            "子ども2人連れの家族旅行",
            "予算を抑えた一人旅",
            "食べ歩きが好きな友人4人",
            "あまり歩けない両親との旅行",
        ],
        "ja_event" => &[
            "社員総会",
            "顧客向けカンファレンス",
            "結婚式",
            "ハッカソン",
            "忘年会",
        ],
        "ja_role" => &[
            "バックエンドエンジニア",
            "データアナリスト",
            "営業担当",
            "カスタマーサポートのリーダー",
            "プロダクトデザイナー",
        ],
        "ja_exam" => &[
            "基本情報技術者試験",
            "AWS認定ソリューションアーキテクト",
            "簿記2級",
            "TOEIC",
            "大学の期末試験",
        ],
        "ja_month" => &["3月", "4月", "9月", "12月"],
        "ja_agenda" => &[
            "面接が2件、火曜に歯医者、木曜に役員向けプレゼン",
            "顧客との打ち合わせ3件と金曜締めのレポート",
            "月次決算、研修、18時に保育園のお迎え",
        ],
        "ja_agent" => &[
            "大阪行きの安い直行便を3つ",
            "会場近くで1泊2万円以下のホテル",
            "過去6か月分のAWS請求書",
            "来期に更新を迎える契約",
        ],
        "ja_product" => &[
            "新しい家計簿アプリ",
            "オーツミルク飲料",
            "中小企業向けの請求書サービス",
            "オンライン英会話講座",
        ],
        "ja_claim" => &[
            "50%下がった後に50%上がれば元に戻る",
            "遅れているプロジェクトに人を増やすとさらに遅れる",
            "サーバーを倍にすればレイテンシは半分になる",
            "中央値は必ず平均値より小さい",
        ],
        "ja_change" => &[
            "コネクションプールを10に減らした設定変更",
            "証明書の更新",
            "Node 18から20へのアップグレード",
            "新しいロードバランサーへのDNS切り替え",
        ],
        "ja_fermi" => &["ピアノ調律師", "コンビニ", "歯科医院", "EV充電スタンド"],
        // ---- Chinese ----
        "zh_ctask" => &[
            "对列表去重并保持原有顺序",
            "计算两个日期之间的工作日天数",
            "读取CSV并转换成JSON",
            "按客户汇总订单金额",
            "校验身份证号码",
            "把银行卡号除后四位外都打码",
            "把罗马数字转换成整数",
        ],
        "zh_bash" => &[
            "删除30天以前的日志",
            "统计nginx访问日志里的独立IP数",
            "找出大于1GB的文件",
            "杀掉占用8080端口的进程",
            "把所有.jpeg改名为.jpg",
        ],
        "zh_excel" => &[
            "按商品编码从另一个表查价格",
            "统计状态为待处理的行数",
            "只汇总本月的销售额",
            "标出A列的重复值",
            "把姓名拆成姓和名",
        ],
        "zh_sql" => &[
            "查出最近90天营收前5的客户",
            "找出重复的邮箱",
            "统计月活跃用户",
            "查每个部门第二高的工资",
        ],
        "zh_regex" => &[
            "中国大陆手机号",
            "身份证号",
            "yyyy-mm-dd格式的日期",
            "邮政编码",
            "公司邮箱地址",
        ],
        "zh_howto" => &[
            "逐行读取文件",
            "发送JSON格式的POST请求",
            "按值给字典排序",
            "读取带默认值的环境变量",
            "把日期格式化成YYYY-MM-DD",
        ],
        "zh_plan" => &[
            "通过ISO 27001认证",
            "把核心系统迁移上云",
            "开一个播客",
            "三个月内雅思考到7分",
            "装修厨房",
            "开第二家门店",
        ],
        "zh_travelers" => &[
            "带两个小孩的家庭出游",
            "预算有限的一个人旅行",
            "四个爱吃的朋友",
            "陪腿脚不太好的父母",
        ],
        "zh_event" => &["年会", "客户大会", "婚礼", "黑客松", "团队团建"],
        "zh_role" => &["后端工程师", "数据分析师", "销售", "客服主管", "产品经理"],
        "zh_exam" => &["考研", "CPA考试", "AWS认证考试", "雅思", "期末考试"],
        "zh_agenda" => &[
            "两场面试、周二看牙医、周四给管理层汇报",
            "三个客户会议和周五要交的报告",
            "月结、一次培训、每天下午五点接孩子",
        ],
        "zh_agent" => &[
            "去上海最便宜的三个直飞航班",
            "会场附近每晚500元以内的酒店",
            "过去六个月的阿里云账单",
            "下季度到期的合同",
        ],
        "zh_product" => &[
            "我们的记账App",
            "一款燕麦奶饮品",
            "面向小微企业的开票工具",
            "在线编程课",
        ],
        "zh_claim" => &[
            "亏50%之后再涨50%就回本了",
            "给延期的项目加人只会更延期",
            "服务器翻倍延迟就减半",
            "中位数一定比平均数小",
        ],
        "zh_change" => &[
            "把连接池调到10的配置变更",
            "证书更新",
            "Node从18升级到20",
            "DNS切到新的负载均衡",
        ],
        "zh_fermi" => &["钢琴调音师", "奶茶店", "牙科诊所", "充电桩"],
        // ---- Italian ----
        "it_ctask" => &[
            "rimuova i duplicati da una lista mantenendo l'ordine",
            "validi un codice fiscale",
            "calcoli i giorni lavorativi tra due date",
            "legga un CSV e lo converta in JSON",
        ],
        "it_excel" => &[
            "cercare un prezzo per codice in un altro foglio",
            "contare le righe con stato Aperto",
            "sommare solo le vendite del mese corrente",
        ],
        "it_viaggiatori" => &[
            "una coppia con budget limitato",
            "una famiglia con due bambini",
            "quattro amici amanti del buon cibo",
        ],
        "it_plan" => &[
            "lanciare un podcast",
            "ottenere la certificazione ISO 27001",
            "ristrutturare la cucina",
            "aprire un secondo negozio",
        ],
        "it_evento" => &[
            "un matrimonio",
            "la convention clienti",
            "un offsite del team",
            "la cena di Natale aziendale",
        ],
        "it_ruolo" => &[
            "sviluppatore backend",
            "analista dati",
            "commerciale",
            "responsabile del supporto",
        ],
        "it_claim" => &[
            "perdere il 50% e poi guadagnare il 50% riporta al punto di partenza",
            "aggiungere persone a un progetto in ritardo lo ritarda ancora di più",
            "raddoppiare i server dimezza la latenza",
        ],
        // ---- Korean ----
        "ko_ctask" => &[
            "리스트에서 중복을 제거하고 순서를 유지하는",
            "두 날짜 사이의 영업일 수를 계산하는",
            "CSV를 읽어서 JSON으로 변환하는",
            "주문을 고객별로 합산하는",
        ],
        "ko_excel" => &[
            "다른 시트에서 상품 코드로 가격을 찾는",
            "상태가 진행중인 행을 세는",
            "이번 달 매출만 합산하는",
        ],
        "ko_travelers" => &[
            "아이 둘과 함께하는 가족 여행",
            "예산이 적은 혼자 여행",
            "맛집을 좋아하는 친구 네 명",
        ],
        "ko_plan" => &[
            "팟캐스트 시작",
            "ISO 27001 인증 취득",
            "주방 리모델링",
            "토익 900점 달성",
        ],
        "ko_role" => &[
            "백엔드 개발자",
            "데이터 분석가",
            "영업 담당자",
            "고객지원 리더",
        ],
        "ko_exam" => &["정보처리기사 시험", "AWS 자격증 시험", "토익", "기말고사"],
        "ko_claim" => &[
            "50% 손실 후 50% 오르면 본전이 된다",
            "늦어진 프로젝트에 사람을 더 넣으면 더 늦어진다",
            "서버를 두 배로 늘리면 지연 시간이 절반이 된다",
        ],
        _ => return None,
    };
    Some(values)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(), generate());
    }

    #[test]
    fn every_template_fills_without_leftover_placeholders() {
        for family in FAMILIES {
            for tpl in family.templates {
                let text = fill(tpl, &mut Rng(1)).unwrap_or_else(|e| panic!("{e} in {tpl:?}"));
                assert!(!text.trim().is_empty(), "{tpl:?}");
            }
        }
    }

    #[test]
    fn no_empty_texts_and_ids_are_unique() {
        let prompts = generate();
        let mut ids = HashSet::new();
        for p in &prompts {
            assert!(!p.text.trim().is_empty(), "{}", p.origin_id);
            assert!(
                p.origin_id.starts_with(&p.group),
                "{} not in {}",
                p.origin_id,
                p.group
            );
            assert!(p.canary.is_none());
            assert!(
                ids.insert(p.origin_id.clone()),
                "duplicate id {}",
                p.origin_id
            );
        }
    }

    #[test]
    fn every_label_in_every_language_and_source() {
        let prompts = generate();
        let mut seen: HashSet<(&str, &str, Label)> = HashSet::new();
        for p in &prompts {
            seen.insert((p.source.as_str(), lang_of_group(&p.group).unwrap(), p.label));
        }
        for lang in ["es", "de", "fr", "pt", "ja", "zh", "it", "ko"] {
            for label in Label::ALL {
                assert!(
                    seen.contains(&(SOURCE_MULTILINGUAL, lang, label)),
                    "{lang} {label:?}"
                );
            }
        }
        assert!(seen.contains(&(SOURCE_CODE, "en", Label::CodeCompletion)));
        assert!(seen.contains(&(SOURCE_PLANNING, "en", Label::Planning)));
        assert!(seen.contains(&(SOURCE_REASONING, "en", Label::Reasoning)));
        // Each English source holds a single label, so its effect can be measured alone.
        for p in &prompts {
            match p.source.as_str() {
                SOURCE_CODE => assert_eq!(p.label, Label::CodeCompletion),
                SOURCE_PLANNING => assert_eq!(p.label, Label::Planning),
                SOURCE_REASONING => assert_eq!(p.label, Label::Reasoning),
                s => assert_eq!(s, SOURCE_MULTILINGUAL),
            }
        }
    }

    #[test]
    fn many_templates_per_label_and_language() {
        let mut templates: HashMap<(&str, Label), usize> = HashMap::new();
        for f in FAMILIES {
            *templates.entry((f.lang, f.label)).or_default() += f.templates.len();
        }
        for label in Label::ALL {
            assert!(templates[&("en", label)] >= 40, "en {label:?}");
            for lang in ["es", "de", "fr", "pt", "ja", "zh"] {
                assert!(templates[&(lang, label)] >= 10, "{lang} {label:?}");
            }
        }
    }

    #[test]
    fn few_duplicate_texts() {
        let prompts = generate();
        let distinct: HashSet<&str> = prompts.iter().map(|p| p.text.as_str()).collect();
        let dup = prompts.len() - distinct.len();
        assert!(
            dup * 100 <= prompts.len(),
            "{dup} duplicates in {}",
            prompts.len()
        );
        // Case-folded, too: the pipeline's normaliser may lowercase.
        let folded: HashSet<String> = prompts.iter().map(|p| p.text.to_lowercase()).collect();
        let dup = prompts.len() - folded.len();
        assert!(
            dup * 100 <= prompts.len() * 5,
            "{dup} case-folded duplicates"
        );
    }

    #[test]
    fn source_sizes_stay_moderate() {
        let prompts = generate();
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &prompts {
            *sizes.entry(p.source.as_str()).or_default() += 1;
        }
        for source in [SOURCE_CODE, SOURCE_PLANNING, SOURCE_REASONING] {
            let n = sizes[source];
            // Many templates, few instances each: variety is what generalises.
            assert!((1_000..=2_600).contains(&n), "{source}: {n}");
        }
        let n = sizes[SOURCE_MULTILINGUAL];
        assert!((2_500..=3_900).contains(&n), "{SOURCE_MULTILINGUAL}: {n}");
    }

    #[test]
    fn placeholders_repeat_their_value_and_ranges_stay_in_bounds() {
        let mut rng = Rng(7);
        for _ in 0..200 {
            let text = fill("{city} {city} {n:3-5}", &mut rng).unwrap();
            let parts: Vec<&str> = text.rsplitn(2, ' ').collect();
            let n: u64 = parts[0].parse().unwrap();
            assert!((3..=5).contains(&n), "{n}");
            let half = parts[1].len() / 2;
            assert_eq!(&parts[1][..half], &parts[1][half + 1..], "{text}");
        }
        for _ in 0..200 {
            let text = fill("{person}|{person#2}|{person#3}", &mut rng).unwrap();
            let names: HashSet<&str> = text.split('|').collect();
            assert_eq!(names.len(), 3, "{text}");
        }
        assert!(fill("{no_such_pool}", &mut rng).is_err());
        assert!(fill("{n:9-1}", &mut rng).is_err());
        assert!(fill("{city", &mut rng).is_err());
    }

    #[test]
    fn restyle_keeps_pasted_code_intact() {
        let text = "fix this:\ndef F(X):\n    return X";
        let mut rng = Rng(3);
        for _ in 0..300 {
            let out = restyle(text, "en", &mut rng);
            assert!(out.contains("\ndef F(X):\n    return X"), "{out:?}");
        }
    }
}
