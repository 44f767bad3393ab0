//! Prints the analysis of each argument as JSON (a development aid).

fn main() {
    let ctx = writ_shell::ShellContext {
        cwd: "/home/dana/acme-web",
        home: "/home/dana",
        written: &[],
    };
    for command in std::env::args().skip(1) {
        match writ_shell::analyze(&command, &ctx) {
            Ok(analysis) => println!("{}", serde_json::to_string(&analysis).unwrap_or_default()),
            Err(error) => println!("error: {error}"),
        }
    }
}
