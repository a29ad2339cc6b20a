/** The container rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA501 from './DA501.js';
import DA502 from './DA502.js';
import DA503 from './DA503.js';
import DA504 from './DA504.js';
import DA505 from './DA505.js';
import DA506 from './DA506.js';
import DA507 from './DA507.js';
import DA508 from './DA508.js';
import DA509 from './DA509.js';
import DA510 from './DA510.js';
import DA511 from './DA511.js';
import DA512 from './DA512.js';
import DA513 from './DA513.js';
import DA514 from './DA514.js';
import DA515 from './DA515.js';
import DA516 from './DA516.js';
import DA517 from './DA517.js';
import DA518 from './DA518.js';
import DA519 from './DA519.js';
import DA520 from './DA520.js';
import DA521 from './DA521.js';
import DA522 from './DA522.js';
import DA523 from './DA523.js';
import DA524 from './DA524.js';
import DA525 from './DA525.js';
import DA526 from './DA526.js';
import DA527 from './DA527.js';
import DA528 from './DA528.js';
import DA529 from './DA529.js';
import DA530 from './DA530.js';
import DA531 from './DA531.js';
import DA532 from './DA532.js';
import DA533 from './DA533.js';
import DA550 from './DA550.js';
import DA551 from './DA551.js';
import DA552 from './DA552.js';
import DA553 from './DA553.js';
import DA554 from './DA554.js';
import DA555 from './DA555.js';
import DA556 from './DA556.js';
import DA557 from './DA557.js';
import DA558 from './DA558.js';
import DA559 from './DA559.js';

export const containerRules: Record<string, AnyRule> = {
  DA501,
  DA502,
  DA503,
  DA504,
  DA505,
  DA506,
  DA507,
  DA508,
  DA509,
  DA510,
  DA511,
  DA512,
  DA513,
  DA514,
  DA515,
  DA516,
  DA517,
  DA518,
  DA519,
  DA520,
  DA521,
  DA522,
  DA523,
  DA524,
  DA525,
  DA526,
  DA527,
  DA528,
  DA529,
  DA530,
  DA531,
  DA532,
  DA533,
  DA550,
  DA551,
  DA552,
  DA553,
  DA554,
  DA555,
  DA556,
  DA557,
  DA558,
  DA559,
};
