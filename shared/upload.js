// Attachments (附件) on the hall's forms (citizens' files) and the console's (documents staff attach to
// their acts): a labelled file control, checks before anything is sent, and the uploads themselves —
// each file straight to the private bucket with its presigned POST (data.uploadFile), its progress
// said in a live region. The form then sends only the ids.
import { uploadFile } from "./data.js";
import { L } from "./i18n.js";
import { h, swap } from "./util.js";

const TYPES = {
  pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", ofd: "application/ofd",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
const MAX_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 10;

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function typeOf(file) {
  const ext = (file.name.split(".").pop() || "").toLowerCase();
  return TYPES[ext] || file.type || "";
}

/**
 * A file field for ``purpose`` (application, complaint, disclosure; ``action`` for staff, whose
 * console passes its signed-in ``send``). Returns {element, problems(), upload()}: problems() lists
 * what is wrong before sending (as {field, message}); upload() resolves to {ok, ids} or
 * {ok: false, detail} with the failing file named.
 */
export function attachmentField({ id, purpose, label, hint, send }) {
  // The browser's own file control speaks the browser's language ("Choose Files / No file chosen"):
  // the real input stays (keyboard, screen readers, drag and drop) but is drawn as a button of ours.
  const input = h("input", { type: "file", id, name: "files", multiple: true, class: "file-input",
    "aria-describedby": `${id}-hint ${id}-chosen ${id}-error`, accept: ".pdf,.jpg,.jpeg,.png,.ofd,.docx,.xlsx" });
  input.dataset.field = "attachments";
  const chosen = h("span", { class: "file-chosen", id: `${id}-chosen` });
  const status = h("ul", { class: "file-status", id: `${id}-status`, "aria-live": "polite" });
  const element = h("div", { class: "field", "data-field-wrap": "attachments" },
    h("label", { for: id }, label || L("附件（选填）", "Attachments (optional)")),
    h("span", { class: "hint", id: `${id}-hint` }, hint || L("支持 PDF、JPG、PNG、OFD、DOCX、XLSX，每个不超过 20 MB，最多 10 个。附件仅供办理使用，不予公开。",
      "PDF, JPG, PNG, OFD, DOCX or XLSX, up to 20 MB each, at most 10. Only the staff handling it see them.")),
    h("div", { class: "file-picker" }, input,
      h("label", { for: id, class: "btn btn-secondary file-button", "aria-hidden": "true" }, L("选择文件", "Choose files")),
      chosen),
    status, h("p", { class: "field-error", id: `${id}-error` }));

  function showChosen() {
    const files = [...input.files];
    swap(chosen, files.length
      ? L(`已选择 ${files.length} 个文件：`, `${files.length} chosen: `) + files.map((f) => `${f.name}（${sizeText(f.size)}）`).join(L("、", ", "))
      : L("未选择文件", "No file chosen"));
    swap(status);
  }
  input.addEventListener("change", showChosen);
  showChosen();

  function problems() {
    const files = [...input.files];
    const out = [];
    if (files.length > MAX_FILES) out.push(L(`最多上传 ${MAX_FILES} 个附件`, `At most ${MAX_FILES} files`));
    for (const f of files) {
      if (!Object.values(TYPES).includes(typeOf(f))) out.push(L(`“${f.name}”的格式不支持`, `“${f.name}” is not a supported type`));
      else if (f.size > MAX_BYTES) out.push(L(`“${f.name}”超过 20 MB`, `“${f.name}” is larger than 20 MB`));
      else if (f.size === 0) out.push(L(`“${f.name}”是空文件`, `“${f.name}” is empty`));
    }
    return out.length ? [{ field: "attachments", message: out.join("；") }] : [];
  }

  async function upload() {
    const ids = [];
    swap(status);
    for (const f of input.files) {
      const line = h("li", {}, L(`正在上传“${f.name}”…`, `Uploading “${f.name}”…`));
      status.append(line);
      const up = await uploadFile(f, purpose, typeOf(f), send);
      if (!up.ok) {
        swap(line, L(`“${f.name}”上传失败`, `“${f.name}” failed`));
        return { ok: false, detail: { field: "attachments", message: `${f.name}: ${up.error.message}` }, message: up.error.message };
      }
      swap(line, L(`“${f.name}”已上传`, `“${f.name}” uploaded`));
      ids.push(up.id);
    }
    return { ok: true, ids };
  }

  return { element, problems, upload };
}
