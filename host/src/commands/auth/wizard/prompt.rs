//! The questions the setup asks, behind a trait so its flow can be tested
//! with scripted answers; on a terminal they are dialoguer prompts.

/// The prompts the setup needs. `Ok(None)` means the user canceled.
pub trait Prompt {
    fn say(&mut self, text: &str);
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> std::io::Result<Option<usize>>;
    fn secret(
        &mut self,
        prompt: &str,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
    ) -> std::io::Result<Option<String>>;
    fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>>;
}

/// The terminal, through dialoguer.
pub struct Terminal {
    theme: dialoguer::theme::ColorfulTheme,
}

impl Terminal {
    pub fn new() -> Terminal {
        Terminal {
            theme: dialoguer::theme::ColorfulTheme::default(),
        }
    }
}

impl Prompt for Terminal {
    fn say(&mut self, text: &str) {
        eprintln!("{text}");
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> std::io::Result<Option<usize>> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(dialoguer_io)
    }

    fn secret(
        &mut self,
        prompt: &str,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
    ) -> std::io::Result<Option<String>> {
        dialoguer::Password::with_theme(&self.theme)
            .with_prompt(prompt)
            .validate_with(|input: &String| validate(input))
            .interact()
            .map(Some)
            .map_err(dialoguer_io)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>> {
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_opt()
            .map_err(dialoguer_io)
    }
}

fn dialoguer_io(e: dialoguer::Error) -> std::io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}
