// Shared set-up for the end-to-end journeys: serve dist/ on a free loopback
// port, launch Debian's Chromium through playwright-core, and small helpers.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const DIST = process.env.HOSO_DIST ?? new URL("../../dist", import.meta.url).pathname;
export const CLI = process.env.HOSO_CLI ?? new URL("../../target/debug/hoso", import.meta.url).pathname;

/** Serves dist/ (or a copy of it) with `hoso serve`, as `./dev run` does; returns { url, stop }. */
export async function serve(dir = DIST) {
  const child = spawn(CLI, ["serve", "--addr", "127.0.0.1:0", "--app", dir, "--data", tempDir()], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // It announces "hoso serve: http://127.0.0.1:PORT/ …" on stderr.
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`hoso serve did not start: ${seen}`)), 15000);
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`hoso serve exited ${code}: ${seen}`)));
  });
  return { url, stop: () => child.kill() };
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), "hoso-e2e-"));
}

export function run(cmd, args) {
  return execFileSync(cmd, args, { encoding: "utf8" });
}

/** Answers typed with diacritics in NFD on purpose: the app must store NFC. */
export const ANSWERS = {
  "applicant.full_name": "nguyễn văn bình",
  "applicant.id_number": "001090012345",
  "applicant.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
  "applicant.relation": "Cha",
  "child.full_name": "Nguyễn Thị Ánh Dương".normalize("NFD"),
  "child.birth_date": "01/11/2026",
  "child.ethnicity": "Kinh",
  "child.birth_place": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
  "child.home_town": "Xã Tịnh Khê, tỉnh Quảng Ngãi",
  "mother.full_name": "Trần Thị Hoa",
  "mother.birth_year": "1995",
  "mother.ethnicity": "Tày",
  "mother.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
  "father.full_name": "Nguyễn Văn Bình",
  "father.birth_year": "1990",
  "father.ethnicity": "Kinh",
  "father.nationality": "Việt Nam",
  "father.residence": "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi",
};

export const fieldId = (key) => `#f-${key.replaceAll(".", "-")}`;

/** Fills the khai-sinh declaration as a clerk would, by keyboard. */
export async function fillKhaiSinh(page) {
  for (const [key, value] of Object.entries(ANSWERS)) {
    await page.locator(fieldId(key)).fill(value);
  }
  await page.locator(fieldId("child.sex")).selectOption("Nữ");
  await page.locator("#f-place").fill("Hòa Bình");
}
