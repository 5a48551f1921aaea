//! What a template may do. Templates come from the binary or from `--templates DIR`, which an
//! operator may point at files they did not write, so a template gets only the data it is
//! given: Tera's `get_env` (the process environment) is replaced by a function that fails,
//! and `range` is bounded (all the ranges of one rendering together produce at most
//! [`MAX_RANGE_ITEMS`] numbers; Tera's own `range(end=100000000)` allocates a gigabyte and
//! `step_by=0` never ends). Tera 1.20 has no other function or filter that reads the
//! environment or the file system (`now` and `get_random` are behind its `builtins` feature,
//! which is off). Recursion is refused before rendering ([`super::recursion`]).

use std::cell::Cell;
use std::collections::HashMap;

use tera::{Tera, Value};

/// How many numbers the `range` calls of one rendering may produce together.
pub const MAX_RANGE_ITEMS: usize = 10_000;

thread_local! {
    /// What is left of [`MAX_RANGE_ITEMS`] for the rendering on this thread.
    static RANGE_LEFT: Cell<usize> = const { Cell::new(MAX_RANGE_ITEMS) };
}

/// Replaces the functions a template must not have.
pub fn configure(tera: &mut Tera) {
    tera.register_function("get_env", |_: &HashMap<String, Value>| -> tera::Result<Value> {
        Err(tera::Error::msg("function `get_env` is not available to templates"))
    });
    tera.register_function("range", range);
}

/// Starts the budget of a rendering on this thread (Tera renders on the calling thread).
pub fn start_rendering() {
    RANGE_LEFT.set(MAX_RANGE_ITEMS);
}

/// Tera's `range(start=0, end, step_by=1)`, within the budget of the rendering.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |name: &str, default: Option<u64>| -> tera::Result<u64> {
        match (args.get(name), default) {
            (Some(v), _) => v.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("function `range` received {name}={v}, expected a whole number"))
            }),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(tera::Error::msg(format!("function `range` needs `{name}`"))),
        }
    };
    let (start, end, step) = (number("start", Some(0))?, number("end", None)?, number("step_by", Some(1))?);
    if step == 0 {
        return Err(tera::Error::msg("function `range` received step_by=0"));
    }
    let count = end.saturating_sub(start).div_ceil(step);
    let left = RANGE_LEFT.get() as u64;
    if count > left {
        return Err(tera::Error::msg(format!(
            "function `range` would make {count} numbers, more than the {MAX_RANGE_ITEMS} a rendering may make"
        )));
    }
    RANGE_LEFT.set((left - count) as usize);
    Ok(Value::Array((start..end).step_by(step as usize).map(Value::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        configure(&mut tera);
        tera.add_raw_template("t.xml", template).map_err(|e| e.to_string())?;
        start_rendering();
        tera.render("t.xml", &tera::Context::new()).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message = s.to_string();
                source = s.source();
            }
            message
        })
    }

    #[test]
    fn range_works_as_teras_within_the_budget() {
        assert_eq!(render("{% for i in range(end=5) %}{{ i }}{% endfor %}"), Ok("01234".into()));
        assert_eq!(
            render("{% for i in range(start=2, end=9, step_by=3) %}{{ i }},{% endfor %}"),
            Ok("2,5,8,".into())
        );
        assert_eq!(render("{% for i in range(start=5, end=2) %}{{ i }}{% endfor %}"), Ok("".into()));
    }

    #[test]
    fn a_huge_range_or_a_step_of_zero_is_an_error() {
        assert_eq!(
            render("{% for i in range(end=100000000) %}{% endfor %}"),
            Err("function `range` would make 100000000 numbers, more than the 10000 a rendering may make"
                .into())
        );
        assert_eq!(
            render("{% for i in range(end=5, step_by=0) %}{% endfor %}"),
            Err("function `range` received step_by=0".into())
        );
        // Nested loops share the budget.
        assert_eq!(
            render("{% for i in range(end=200) %}{% for j in range(end=200) %}{% endfor %}{% endfor %}"),
            Err("function `range` would make 200 numbers, more than the 10000 a rendering may make".into())
        );
    }

    #[test]
    fn get_env_is_not_available() {
        assert_eq!(
            render("{{ get_env(name=\"HOME\") }}"),
            Err("function `get_env` is not available to templates".into())
        );
    }
}
