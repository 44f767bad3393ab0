//! Prints the analysis of each argument as JSON (a development aid).

fn main() {
    // `CWD` and `HOME` of the analysed line, when given.
    let cwd = std::env::var("CWD").unwrap_or_else(|_| "/home/dana/acme-web".to_owned());
    let home = std::env::var("HOME_DIR").unwrap_or_else(|_| "/home/dana".to_owned());
    let ctx = writ_shell::ShellContext {
        cwd: &cwd,
        home: &home,
        workspace: None,
        written: &[],
    };
    for command in std::env::args().skip(1) {
        match writ_shell::analyze(&command, &ctx) {
            Ok(analysis) => println!("{}", serde_json::to_string(&analysis).unwrap_or_default()),
            Err(error) => println!("error: {error}"),
        }
    }
}
