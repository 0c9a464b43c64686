//! The native menu: File (New workspace, Open workspace, Quit) and Help (About).

use credence_app::{OpenMode, Session};
use tauri::menu::{AboutMetadata, Menu, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

const NEW_WORKSPACE: &str = "new_workspace";
const OPEN_WORKSPACE: &str = "open_workspace";

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let file = SubmenuBuilder::new(app, "File")
        .item(
            &MenuItemBuilder::with_id(NEW_WORKSPACE, "New workspace…")
                .accelerator("CmdOrCtrl+N")
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id(OPEN_WORKSPACE, "Open workspace…")
                .accelerator("CmdOrCtrl+O")
                .build(app)?,
        )
        .separator()
        .quit()
        .build()?;
    let about = AboutMetadata {
        name: Some("Credence".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        comments: Some("Microcredential review, approval and awarding.".into()),
        ..Default::default()
    };
    let help = SubmenuBuilder::new(app, "Help")
        .about_with_text("About Credence", Some(about))
        .build()?;
    Menu::with_items(app, &[&file, &help])
}

pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let (mode, dialog) = match event.id().as_ref() {
        NEW_WORKSPACE => (OpenMode::CreateIfMissing, "new"),
        OPEN_WORKSPACE => (OpenMode::MustExist, "open"),
        _ => return,
    };
    let handle = app.clone();
    let picker = app
        .dialog()
        .file()
        .add_filter("Credence workspace", &["credence"]);
    let on_pick = move |picked: Option<tauri_plugin_dialog::FilePath>| {
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return;
        };
        let path = if mode == OpenMode::CreateIfMissing && path.extension().is_none() {
            path.with_extension("credence")
        } else {
            path
        };
        let session = handle.state::<Session>();
        session.switch(&path, mode);
        let _ = handle.emit(crate::commands::CHANGED, "session");
    };
    if dialog == "new" {
        picker
            .set_file_name("workspace.credence")
            .save_file(on_pick);
    } else {
        picker.pick_file(on_pick);
    }
}
