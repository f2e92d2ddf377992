import { describe, expect, it } from 'vitest';
import { acceptAttachments } from './attachments.js';

/** One attachment through intake's check, as the web form and the API send it. */
function flagsOf(filename: string, contentType: string, content: string | Buffer = 'x'): string[] {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const [a] = acceptAttachments([{ filename, contentType, contentBase64: bytes.toString('base64') }], 1e6);
  return a?.flags ?? [];
}

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

describe('attachment types a vulnerability report carries', () => {
  // What browsers declare for such files varies (text/x-python, application/x-sh, or nothing at all).
  it.each([
    // proof-of-concept scripts and source
    ['poc.sh', 'application/x-sh'],
    ['poc.bash', ''],
    ['poc.py', 'text/x-python'],
    ['main.go', 'application/octet-stream'],
    ['lib.rs', 'text/rust'],
    ['exploit.c', 'text/x-csrc'],
    ['exploit.h', 'text/x-chdr'],
    ['exploit.cc', 'text/x-c++src'],
    ['exploit.cpp', 'text/x-c++src'],
    ['poc.js', 'text/javascript'],
    ['poc.ts', 'video/mp2t'],
    ['poc.rb', 'application/x-ruby'],
    ['poc.php', 'application/x-httpd-php'],
    ['Poc.java', 'text/x-java'],
    ['poc.pl', 'application/x-perl'],
    ['poc.ps1', ''],
    ['poc.lua', 'text/x-lua'],
    // configuration
    ['deploy.yaml', 'application/x-yaml'],
    ['values.yml', ''],
    ['policy.json', 'application/json'],
    ['Cargo.toml', 'application/toml'],
    ['config.xml', 'text/xml'],
    ['app.ini', ''],
    ['envoy.conf', ''],
    ['.env', ''],
    // data and captures
    ['capture.pcap', 'application/vnd.tcpdump.pcap'],
    ['capture.pcapng', 'application/octet-stream'],
    ['session.har', 'application/json'],
    ['notes.txt', 'text/plain'],
    ['server.log', 'text/x-log'],
    ['README.md', 'text/markdown'],
    ['data.csv', 'text/csv'],
    ['fix.diff', 'text/x-diff'],
    ['fix.patch', 'text/x-patch'],
    // archives, images, video, documents
    ['poc.zip', 'application/zip'],
    ['poc.tar', 'application/x-tar'],
    ['poc.tar.gz', 'application/gzip'],
    ['poc.tgz', 'application/x-compressed-tar'],
    ['shot.png', 'image/png'],
    ['shot.jpg', 'image/jpeg'],
    ['anim.gif', 'image/gif'],
    ['shot.webp', 'image/webp'],
    ['demo.mp4', 'video/mp4'],
    ['demo.webm', 'video/webm'],
    ['writeup.pdf', 'application/pdf'],
  ])('%s (%s) is an expected type', (filename, contentType) => {
    expect(flagsOf(filename, contentType)).toEqual([]);
  });

  it.each([
    ['setup.exe', 'application/octet-stream', 'x'],
    ['helper.dll', 'application/octet-stream', 'x'],
    ['libpoc.so', 'application/octet-stream', ELF],
    ['run.bat', 'text/plain', 'x'],
    ['page.html', 'text/html', '<p>hi</p>'],
    ['image.svg', 'image/svg+xml', '<svg/>'],
    // The bytes say what the name hides.
    ['firmware.bin', 'application/octet-stream', ELF],
    ['notes.txt', 'text/plain', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(60)])],
    ['report.txt', 'text/plain', '  <!DOCTYPE html><script>alert(1)</script>'],
    ['shot.png', 'image/png', '<?xml version="1.0"?>\n<svg onload="alert(1)"/>'],
  ])('%s (%s) is flagged as active content', (filename, contentType, content) => {
    expect(flagsOf(filename, contentType, content)).toEqual(['active-content']);
  });

  it.each([
    ['notes.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['blob.bin', 'application/octet-stream'],
    ['noextension', 'application/octet-stream'],
    ['thing.xyz', 'application/x-xyz'],
  ])('%s (%s) is really unknown', (filename, contentType) => {
    expect(flagsOf(filename, contentType)).toEqual(['unknown-type']);
  });

  it('keeps a PoC that merely mentions a script tag as text', () => {
    expect(flagsOf('xss.txt', 'text/plain', 'Send this: <script>alert(1)</script>')).toEqual([]);
  });
});
