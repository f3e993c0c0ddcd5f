/**
 * The settings form: model, initializers, activation, optimizer, learning rate, batch size, epochs,
 * seed, backend. Reads a TrainingConfig out of it (with messages for what is not a valid number) and
 * writes one back into it (restoring a run).
 */
import { INITIALIZER_IDS, type ActivationChoice, type BackendChoice, type FileModelOffer, type InitializerId, type ModelSpec, type OptimizerChoice, type TrainingConfig } from '../../src/protocol';
import { DEEP_TANH_MODEL, PRESET_DEFAULTS, SEED_MODEL } from '../../src/training-spec';
import { INITIALIZER_INFO } from '../training';
import { checkbox, dropdown, el, field, option, textField, type CheckboxElement, type ValueElement } from './dom';

/** Picked by default: the Glorot/He/LeCun family against the usual small-random and zero baselines. */
export const DEFAULT_INITIALIZERS: InitializerId[] = ['xavier_uniform', 'xavier_normal', 'he_normal', 'lecun_normal', 'normal_0.01', 'uniform_0.1', 'zeros'];

const FILE_MODEL = 'file';

export class Controls {
  readonly element: HTMLElement;
  private readonly model: ValueElement;
  private readonly fileOption: HTMLElement;
  private readonly fileProblem: HTMLElement;
  private readonly checks = new Map<InitializerId, CheckboxElement>();
  private readonly activation: ValueElement;
  private readonly optimizer: ValueElement;
  private readonly learningRate: ValueElement;
  private readonly batchSize: ValueElement;
  private readonly epochs: ValueElement;
  private readonly seed: ValueElement;
  private readonly backend: ValueElement;
  private fileModel: FileModelOffer | undefined;

  constructor() {
    this.element = el('section', 'controls');
    this.element.setAttribute('aria-label', 'Training settings');

    this.model = dropdown('model', [
      { value: 'seed', label: SEED_MODEL.label },
      { value: 'deep-tanh', label: DEEP_TANH_MODEL.label },
    ]);
    this.fileOption = option({ value: FILE_MODEL, label: 'Model from the file', disabled: true });
    this.model.append(this.fileOption);
    this.fileProblem = el('div', 'problem');
    this.fileProblem.hidden = true;
    this.model.addEventListener('change', () => this.applyPresetDefaults());

    this.activation = dropdown('activation', [
      { value: 'model', label: "As in the model" },
      { value: 'relu', label: 'relu (all hidden layers)' },
      { value: 'tanh', label: 'tanh (all hidden layers)' },
      { value: 'sigmoid', label: 'sigmoid (all hidden layers)' },
    ]);
    this.optimizer = dropdown('optimizer', [
      { value: 'adam', label: 'Adam' },
      { value: 'sgd', label: 'SGD' },
    ]);
    this.learningRate = textField('learning-rate', '0.001');
    this.batchSize = textField('batch-size', '32');
    this.epochs = textField('epochs', '10', 4);
    this.seed = textField('seed', '42', 6);
    this.backend = dropdown('backend', [
      { value: 'auto', label: 'Auto' },
      { value: 'webgl', label: 'WebGL' },
      { value: 'wasm', label: 'WASM' },
      { value: 'cpu', label: 'CPU' },
    ]);

    const inits = el('fieldset', 'initializers');
    inits.append(el('legend', undefined, 'Initializers'));
    for (const id of INITIALIZER_IDS) {
      const info = INITIALIZER_INFO[id];
      const box = checkbox(`init-${id}`, info.label, DEFAULT_INITIALIZERS.includes(id), info.formula);
      box.dataset.initializer = id;
      this.checks.set(id, box);
      inits.append(box);
    }

    const modelField = field('Model', this.model, 'model');
    modelField.classList.add('model-field');
    modelField.append(this.fileProblem);
    const row = el('div', 'control-row');
    row.append(
      modelField,
      field('Activation', this.activation, 'activation'),
      field('Optimizer', this.optimizer, 'optimizer'),
      field('Learning rate', this.learningRate, 'learning-rate'),
      field('Batch size', this.batchSize, 'batch-size'),
      field('Epochs', this.epochs, 'epochs'),
      field('Seed', this.seed, 'seed'),
      field('Backend', this.backend, 'backend'),
    );
    this.element.append(row, inits);
  }

  /** Offers (or replaces) the model from the user's file; a model that can be trained is selected. */
  setFileModel(offer: FileModelOffer | undefined): void {
    this.fileModel = offer;
    if (!offer) return;
    this.fileOption.textContent = offer.label;
    this.fileProblem.hidden = !offer.problem;
    this.fileProblem.textContent = offer.problem ? `${offer.label} cannot be trained here: ${offer.problem}` : '';
    if (offer.spec) {
      this.fileOption.removeAttribute('disabled');
      this.model.value = FILE_MODEL;
    } else {
      this.fileOption.setAttribute('disabled', '');
      if (this.model.value === FILE_MODEL) this.model.value = 'seed';
    }
  }

  setEnabled(enabled: boolean): void {
    for (const c of [this.model, this.activation, this.optimizer, this.learningRate, this.batchSize, this.epochs, this.seed, this.backend, ...this.checks.values()]) {
      c.disabled = !enabled;
    }
  }

  /** The configuration in the form, or the list of what is wrong with it. */
  read(): { config: TrainingConfig } | { errors: string[] } {
    const errors: string[] = [];
    const number = (f: ValueElement, name: string, ok: (n: number) => boolean, rule: string): number => {
      const n = Number(f.value.trim());
      if (f.value.trim() === '' || !ok(n)) errors.push(`${name} must be ${rule} (got "${f.value}")`);
      return n;
    };
    const learningRate = number(this.learningRate, 'Learning rate', (n) => Number.isFinite(n) && n > 0 && n <= 10, 'a number in (0, 10]');
    const batchSize = number(this.batchSize, 'Batch size', (n) => Number.isInteger(n) && n >= 1 && n <= 65536, 'a whole number from 1 to 65,536');
    const epochs = number(this.epochs, 'Epochs', (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1,000');
    const seed = number(this.seed, 'Seed', (n) => Number.isSafeInteger(n), 'a whole number');
    const initializers = INITIALIZER_IDS.filter((id) => this.checks.get(id)!.checked);
    if (initializers.length === 0) errors.push('Pick at least one initializer');
    const model = this.selectedModel();
    if (!model) errors.push('The model from the file cannot be trained; pick a preset');
    if (errors.length || !model) return { errors };
    return {
      config: {
        model,
        initializers,
        activation: this.activation.value as ActivationChoice,
        optimizer: this.optimizer.value as OptimizerChoice,
        learningRate,
        batchSize,
        epochs,
        seed,
        backend: this.backend.value as BackendChoice,
      },
    };
  }

  /** Puts a configuration back into the form (restoring the last run after a reload). */
  write(config: TrainingConfig): void {
    if (config.model.id === 'custom') {
      if (this.fileModel?.spec) this.model.value = FILE_MODEL;
    } else this.model.value = config.model.id;
    for (const [id, box] of this.checks) box.checked = config.initializers.includes(id);
    this.activation.value = config.activation;
    this.optimizer.value = config.optimizer;
    this.learningRate.value = String(config.learningRate);
    this.batchSize.value = String(config.batchSize);
    this.epochs.value = String(config.epochs);
    this.seed.value = String(config.seed);
    this.backend.value = config.backend;
  }

  get backendChoice(): BackendChoice {
    return this.backend.value as BackendChoice;
  }

  private selectedModel(): ModelSpec | undefined {
    if (this.model.value === 'deep-tanh') return DEEP_TANH_MODEL;
    if (this.model.value === FILE_MODEL) return this.fileModel?.spec;
    return SEED_MODEL;
  }

  /** Each preset comes with the recipe it is meant for (seed: Adam 1e-3; deep tanh: SGD 0.1, 5 epochs). */
  private applyPresetDefaults(): void {
    const preset = this.model.value === 'deep-tanh' ? PRESET_DEFAULTS['deep-tanh'] : this.model.value === 'seed' ? PRESET_DEFAULTS.seed : undefined;
    if (!preset) return;
    this.optimizer.value = preset.optimizer;
    this.learningRate.value = String(preset.learningRate);
    this.batchSize.value = String(preset.batchSize);
    this.epochs.value = String(preset.epochs);
    this.activation.value = preset.activation;
  }
}
