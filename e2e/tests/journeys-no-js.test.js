// The core journeys with JavaScript disabled: every form posts and redirects the old way.
'use strict';

const { coreJourneys } = require('../lib/core-journeys');

coreJourneys('no-js');
