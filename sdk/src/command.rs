//! Commands: typed arguments read from an [`Invocation`] and a [`Router`]
//! from the command path to a handler.
//!
//! ```ignore
//! struct Greet { name: String, loud: bool }
//!
//! impl FromInvocation for Greet {
//!     fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
//!         Ok(Greet { name: inv.get("name")?, loud: inv.get_flag("loud")? })
//!     }
//! }
//!
//! impl Plugin for Hello {
//!     fn router() -> Router {
//!         Router::new().command(&["greet"], greet)
//!     }
//! }
//! ```
//!
//! Names and defaults live only in the manifest: [`Invocation::get`] reads the
//! default the host filled in and refuses a name the manifest lacks, and the
//! test [`crate::export_plugin!`] generates runs every route's argument parser
//! on an invocation built from the manifest ([`Router::check`]).

use crate::{Error, ErrorClass, Invocation};
use kagi_manifest::{CommandSpec, Manifest};

/// A command's arguments, read from an invocation. Reading goes through the
/// typed accessors ([`Invocation::get`], [`get_opt`](Invocation::get_opt),
/// [`get_all`](Invocation::get_all), [`get_flag`](Invocation::get_flag));
/// checks the host's parser cannot make belong here too.
pub trait FromInvocation: Sized {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error>;
}

/// For commands without arguments.
impl FromInvocation for () {
    fn from_invocation(_: &Invocation) -> Result<Self, Error> {
        Ok(())
    }
}

/// Two argument sets of one command, e.g. its own and a shared group's
/// ([`crate::output::OutputArgs`]).
impl<A: FromInvocation, B: FromInvocation> FromInvocation for (A, B) {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok((A::from_invocation(inv)?, B::from_invocation(inv)?))
    }
}

type Step = Box<dyn Fn(&Invocation) -> Result<(), Error>>;

struct Route {
    path: Vec<String>,
    run: Step,
    parse_only: Step,
}

/// Dispatches an invocation to the handler registered for its command path.
#[derive(Default)]
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    pub fn new() -> Self {
        Router::default()
    }

    /// Routes `path` (e.g. `&["assistant", "thread", "list"]`) to `handler`,
    /// which gets the arguments as `A`.
    pub fn command<A, F>(mut self, path: &[&str], handler: F) -> Self
    where
        A: FromInvocation + 'static,
        F: Fn(A) -> Result<(), Error> + 'static,
    {
        self.routes.push(Route {
            path: path.iter().map(|s| s.to_string()).collect(),
            run: Box::new(move |inv| handler(A::from_invocation(inv)?)),
            parse_only: Box::new(|inv| A::from_invocation(inv).map(drop)),
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    fn route(&self, path: &[String]) -> Option<&Route> {
        self.routes.iter().find(|r| r.path == path)
    }

    /// Runs the handler for the invocation's command path.
    pub fn run(&self, inv: &Invocation) -> Result<(), Error> {
        match self.route(inv.command()) {
            Some(route) => (route.run)(inv),
            None => Err(Error::internal(format!(
                "this plugin has no handler for `{}`; add a route for it",
                inv.command().join(" ")
            ))),
        }
    }

    /// What disagrees between the routes and `manifest`: a route for an
    /// undeclared command, a runnable command without a route, or an argument
    /// parser that reads an undeclared name or cannot parse the manifest's
    /// defaults or possible values (an internal or usage error on an
    /// invocation built from the manifest).
    pub fn check(&self, manifest: &Manifest) -> Vec<String> {
        let mut problems = Vec::new();
        for route in &self.routes {
            let shown = route.path.join(" ");
            if manifest.find_command(&route.path).is_none() {
                problems.push(format!("route `{shown}` is not a command of the manifest"));
                continue;
            }
            let sample = Invocation::sample(manifest, &route.path);
            let mut tries = vec![sample.clone()];
            let spec = manifest.find_command(&route.path).expect("checked above");
            for arg in &spec.args {
                for value in &arg.possible_values {
                    tries.push(sample.clone().with_value(&arg.name, value));
                }
            }
            for inv in tries {
                // Internal: an undeclared name or a missing default; usage:
                // a default or possible value the code cannot parse. Other
                // classes are the command's own checks.
                if let Err(e) = (route.parse_only)(&inv)
                    && matches!(e.class, ErrorClass::Internal | ErrorClass::Usage)
                    && !problems.contains(&format!("`{shown}`: {}", e.message))
                {
                    problems.push(format!("`{shown}`: {}", e.message));
                }
            }
        }
        let mut paths = Vec::new();
        for command in &manifest.commands {
            runnable_paths(command, &mut Vec::new(), &mut paths);
        }
        for path in paths {
            if self.route(&path).is_none() {
                problems.push(format!(
                    "the manifest's command `{}` has no route",
                    path.join(" ")
                ));
            }
        }
        problems
    }
}

/// Paths of the commands a user can run: those not requiring a subcommand.
fn runnable_paths(command: &CommandSpec, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    prefix.push(command.name.clone());
    if !command.subcommand_required {
        out.push(prefix.clone());
    }
    for sub in &command.subcommands {
        runnable_paths(sub, prefix, out);
    }
    prefix.pop();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    const MANIFEST: &str = r#"
api = "0.2.0"
name = "demo"
[[commands]]
name = "greet"
[[commands.args]]
name = "name"
default = "world"
[[commands.args]]
name = "times"
type = "int"
required = true
[[commands]]
name = "thread"
subcommand-required = true
[[commands.subcommands]]
name = "list"
"#;

    struct Greet {
        name: String,
        times: u32,
    }

    impl FromInvocation for Greet {
        fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
            Ok(Greet {
                name: inv.get("name")?,
                times: inv.get("times")?,
            })
        }
    }

    struct Shout;

    impl FromInvocation for Shout {
        fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
            match inv.get::<String>("volume")?.as_str() {
                "loud" => Ok(Shout),
                other => Err(Error::usage(format!(
                    "invalid value '{other}' for --volume"
                ))),
            }
        }
    }

    #[test]
    fn check_tries_every_possible_value() {
        let manifest = Manifest::parse(
            r#"
api = "0.2.0"
name = "demo"
[[commands]]
name = "shout"
[[commands.args]]
name = "volume"
default = "loud"
possible-values = ["loud", "louder"]
"#,
        )
        .unwrap();
        let router = Router::new().command(&["shout"], |_: Shout| Ok(()));
        assert_eq!(
            router.check(&manifest),
            ["`shout`: invalid value 'louder' for --volume"]
        );
    }

    struct Misspelt;

    impl FromInvocation for Misspelt {
        fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
            inv.get::<String>("nmae").map(|_| Misspelt)
        }
    }

    #[test]
    fn routes_by_command_path_with_the_manifests_defaults() {
        let seen = Rc::new(Cell::new(None));
        let got = seen.clone();
        let router = Router::new()
            .command(&["greet"], move |g: Greet| {
                got.set(Some((g.name == "world", g.times)));
                Ok(())
            })
            .command(&["thread", "list"], |()| Ok(()));
        let inv = Invocation::for_test(MANIFEST, &["greet"], &[("times", &["3"])]);
        router.run(&inv).unwrap();
        assert_eq!(seen.get(), Some((true, 3)));
        let manifest = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(router.check(&manifest), Vec::<String>::new());
        let unrouted = Invocation::new(&["thread"], &[]);
        assert_eq!(
            router.run(&unrouted).unwrap_err().message,
            "this plugin has no handler for `thread`; add a route for it"
        );
    }

    #[test]
    fn check_finds_drift_between_routes_and_manifest() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let router = Router::new()
            .command(&["greet"], |_: Misspelt| Ok(()))
            .command(&["thread", "show"], |()| Ok(()));
        assert_eq!(
            router.check(&manifest),
            [
                "`greet`: `greet` reads the argument `nmae`, which its manifest does not declare",
                "route `thread show` is not a command of the manifest",
                "the manifest's command `thread list` has no route",
            ]
        );
    }

    #[test]
    #[should_panic(expected = "`greet` declares no argument `nmae`")]
    fn test_invocations_refuse_undeclared_arguments() {
        Invocation::for_test(MANIFEST, &["greet"], &[("nmae", &["x"])]);
    }
}
