use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match inti::server::cli::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, never a panic or a backtrace.
            eprintln!("inti: {e}");
            ExitCode::FAILURE
        }
    }
}
