// Lit adds a <style> element where a browser lacks constructable stylesheets; it carries this nonce so the
// page's Content Security Policy lets it in. Imported first, before any element is defined.
const nonce = document.getElementById('dashboard')?.dataset.nonce;
(window as unknown as { litNonce?: string }).litNonce = nonce;
export {};
