// New connector: pick a plugin, fill a form generated from its config definition (or raw JSON),
// validate (errors beside each field), then create.
import {ApiError, enc, get, post, put} from '../api.js';
import {h, notice} from '../dom.js';

const NUMERIC = new Set(['INT', 'LONG', 'SHORT', 'DOUBLE']);

function inputFor(def) {
  const id = `f-${def.name}`;
  const describedBy = `${id}-doc ${id}-err`;
  const common = {id, name: def.name, 'aria-describedby': describedBy, required: def.required, 'aria-required': def.required ? 'true' : null};
  if (def.type === 'BOOLEAN') {
    return h('select', common, h('option', {value: ''}, `default${def.default_value != null ? ` (${def.default_value})` : ''}`),
      h('option', {value: 'true'}, 'true'), h('option', {value: 'false'}, 'false'));
  }
  const type = def.type === 'PASSWORD' ? 'password' : NUMERIC.has(def.type) ? 'text' : 'text';
  return h('input', {...common, type, inputmode: NUMERIC.has(def.type) ? 'decimal' : null, autocomplete: 'off',
    placeholder: def.default_value ?? (def.type === 'LIST' ? 'comma-separated' : '')});
}

function field(def) {
  const id = `f-${def.name}`;
  return h('div', {class: 'field', 'data-field': def.name},
    h('label', {for: id}, def.display_name && def.display_name !== def.name ? def.display_name : def.name,
      def.required ? h('span', {class: 'required'}, h('span', {'aria-hidden': 'true'}, ' *'), h('span', {class: 'sr-only'}, ' (required)')) : '',
      ' ', h('code', {class: 'muted'}, def.name)),
    inputFor(def),
    h('p', {id: `${id}-doc`, class: 'doc'}, def.documentation ?? '',
      def.default_value != null ? ` Default: ${def.default_value}.` : ''),
    h('p', {id: `${id}-err`, class: 'field-error'}));
}

/** Groups in first-seen order, fields by order_in_group; settings without a group go under "Settings". */
function grouped(defs) {
  const groups = new Map();
  for (const d of defs) {
    const g = d.group ?? 'Settings';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(d);
  }
  for (const list of groups.values()) list.sort((a, b) => a.order_in_group - b.order_in_group);
  return groups;
}

const TASKS_MAX = {name: 'tasks.max', type: 'INT', required: false, default_value: '1', group: 'Common', order_in_group: 0,
  documentation: 'Maximum number of tasks to run for this connector.', display_name: 'Tasks max'};

export function createView(main) {
  const pluginSelect = h('select', {id: 'plugin', required: true}, h('option', {value: ''}, 'Loading plugins…'));
  const nameInput = h('input', {id: 'name', type: 'text', required: true, autocomplete: 'off', 'aria-describedby': 'f-name-err'});
  const nameError = h('p', {id: 'f-name-err', class: 'field-error'});
  const fields = h('div', {id: 'fields'});
  const json = h('textarea', {id: 'raw-json', rows: 16, spellcheck: 'false', 'aria-describedby': 'json-help'});
  const jsonBox = h('div', {hidden: true, id: 'json-box'}, h('label', {for: 'raw-json'}, 'Connector as JSON'),
    h('p', {id: 'json-help', class: 'muted'}, '{"name": "...", "config": {"connector.class": "...", ...}}'), json);
  const summary = h('div', {id: 'errors', class: 'error-summary', tabindex: '-1', hidden: true});
  const formMode = h('button', {type: 'button', 'aria-pressed': 'true', id: 'mode-form'}, 'Form');
  const jsonMode = h('button', {type: 'button', 'aria-pressed': 'false', id: 'mode-json'}, 'JSON');
  let defs = [];

  function formConfig() {
    const config = {'connector.class': pluginSelect.value};
    for (const el of fields.querySelectorAll('input, select')) if (el.value.trim() !== '') config[el.name] = el.value.trim();
    return {name: nameInput.value.trim(), config};
  }

  function current() {
    if (!jsonBox.hidden) {
      const parsed = JSON.parse(json.value);
      return {name: parsed.name ?? parsed.config?.name ?? '', config: parsed.config ?? {}};
    }
    return formConfig();
  }

  function clearErrors() {
    summary.hidden = true;
    summary.replaceChildren();
    nameError.textContent = '';
    for (const el of fields.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of fields.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }

  /** Shows [{field, message}] beside their fields; the rest (and a count) in the summary, focused. */
  function showErrors(title, errors) {
    const elsewhere = [];
    for (const {field: name, message} of errors) {
      const slot = name === 'name' ? nameError : (jsonBox.hidden ? document.getElementById(`f-${name}-err`) : null);
      if (slot) {
        slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
        document.getElementById(name === 'name' ? 'name' : `f-${name}`)?.setAttribute('aria-invalid', 'true');
      } else {
        elsewhere.push({name, message});
      }
    }
    const inputId = f => (f === 'name' ? 'name' : `f-${f}`);
    summary.replaceChildren(h('h2', null, title),
      h('ul', null, errors.map(({field: f, message}) => h('li', null,
        elsewhere.some(e => e.name === f) ? h('code', null, f)
          : h('a', {href: '#', onclick: e => { e.preventDefault(); document.getElementById(inputId(f))?.focus(); }}, f),
        `: ${message}`))));
    summary.hidden = false;
    summary.focus();
  }

  async function validate() {
    clearErrors();
    let c;
    try {
      c = current();
    } catch (e) {
      showErrors('The JSON is not valid', [{field: 'JSON', message: e.message}]);
      return null;
    }
    const errors = [];
    if (!c.name) errors.push({field: 'name', message: 'A connector needs a name.'});
    const plugin = c.config['connector.class'];
    if (!plugin) errors.push({field: 'connector.class', message: 'Choose a plugin.'});
    if (errors.length) {
      showErrors(`${errors.length} error(s)`, errors);
      return null;
    }
    const result = await put(`/connector-plugins/${enc(plugin)}/config/validate`, {...c.config, name: c.name});
    const fieldErrors = result.configs.flatMap(x => (x.value?.errors ?? []).map(m => ({field: x.value.name, message: m})));
    if (result.error_count > 0 || fieldErrors.length) {
      showErrors(`${fieldErrors.length || result.error_count} error(s): fix them and try again`, fieldErrors);
      return null;
    }
    return c;
  }

  async function run(fn) {
    try {
      await fn();
    } catch (e) {
      showErrors(e.message, e instanceof ApiError ? e.errors : []);
    }
  }

  async function loadForm() {
    fields.replaceChildren();
    clearErrors();
    if (!pluginSelect.value) return;
    defs = await get(`/connector-plugins/${enc(pluginSelect.value)}/config`);
    const groups = grouped([TASKS_MAX, ...defs.filter(d => d.name !== 'tasks.max')]);
    fields.replaceChildren(...[...groups].map(([g, list]) => h('fieldset', null, h('legend', null, g), list.map(field))));
  }

  function setMode(toJson) {
    if (toJson && jsonBox.hidden) json.value = JSON.stringify(formConfig(), null, 2);
    jsonBox.hidden = !toJson;
    fields.hidden = toJson;
    formMode.setAttribute('aria-pressed', String(!toJson));
    jsonMode.setAttribute('aria-pressed', String(toJson));
  }
  formMode.addEventListener('click', () => setMode(false));
  jsonMode.addEventListener('click', () => setMode(true));
  pluginSelect.addEventListener('change', () => run(loadForm));

  const form = h('form', {id: 'create-form', novalidate: true, onsubmit: e => {
    e.preventDefault();
    run(async () => {
      const c = await validate();
      if (!c) return;
      await post('/connectors', c);
      notice(`Connector ${c.name} created`);
      location.hash = `#/connectors/${enc(c.name)}`;
    });
  }},
    summary,
    h('div', {class: 'field'}, h('label', {for: 'plugin'}, 'Plugin', h('span', {class: 'sr-only'}, ' (required)')), pluginSelect),
    h('div', {class: 'field'}, h('label', {for: 'name'}, 'Connector name', h('span', {'aria-hidden': 'true'}, ' *'),
      h('span', {class: 'sr-only'}, ' (required)')), nameInput, nameError),
    h('div', {class: 'mode', role: 'group', 'aria-label': 'Editor'}, formMode, jsonMode),
    fields, jsonBox,
    h('div', {class: 'actions'},
      h('button', {type: 'button', id: 'validate', onclick: () => run(async () => {
        if (await validate()) notice('The configuration is valid');
      })}, 'Validate'),
      h('button', {type: 'submit', id: 'create', class: 'primary'}, 'Create connector')));

  main.append(h('h1', {tabindex: '-1'}, 'New connector'), form);

  get('/connector-plugins?connectorsOnly=true').then(plugins => {
    const byType = type => plugins.filter(p => p.type === type).sort((a, b) => a.class.localeCompare(b.class))
      .map(p => h('option', {value: p.class}, `${p.class.split('.').pop()} — ${p.class}${p.version ? ` ${p.version}` : ''}`));
    pluginSelect.replaceChildren(h('option', {value: ''}, 'Choose a plugin…'),
      h('optgroup', {label: 'Source'}, byType('source')), h('optgroup', {label: 'Sink'}, byType('sink')));
  }, e => notice(`Cannot load plugins: ${e.message}`, true));
  return null;
}
