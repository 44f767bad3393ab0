//! The INI files clients keep their settings in: `[section]` headers,
//! `key = value` lines, `#` and `;` comment lines. A key with no value
//! followed by indented lines holds those as its sub-settings (the AWS
//! CLI's `s3 =` block), read as `key.sub`.

/// One `[section]` and its settings, in file order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Section {
    /// The text between the brackets, its runs of blanks made one space.
    pub name: String,
    pub settings: Vec<(String, String)>,
}

impl Section {
    /// The value of `key` (the last one set); `None` when unset or empty.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// The sections of an INI text; settings before the first header are left
/// out (no client reads them).
pub(super) fn sections(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    // The key with no value whose indented lines follow (`s3 =`).
    let mut parent: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            sections.push(Section {
                name: header.split_whitespace().collect::<Vec<_>>().join(" "),
                settings: Vec::new(),
            });
            parent = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let Some((key, value)) = trimmed.split_once(['=', ':']) else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let indented = line.starts_with([' ', '\t']);
        let key = match &parent {
            Some(parent) if indented => format!("{parent}.{key}"),
            _ => {
                parent = value.is_empty().then(|| key.to_owned());
                key.to_owned()
            }
        };
        section.settings.push((key, value.to_owned()));
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_settings_and_nested_blocks() {
        let text = "top = x\n[profile  lab]\n# c\nregion = eu\ns3 =\n  endpoint_url = https://m\n  addressing_style = path\nout = json\n[b]\nk: v\n";
        let found = sections(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "profile lab");
        assert_eq!(found[0].get("s3.endpoint_url"), Some("https://m"));
        assert_eq!(found[0].get("out"), Some("json"));
        assert_eq!(found[0].get("out.x"), None);
        assert_eq!(found[1].get("k"), Some("v"));
    }
}
