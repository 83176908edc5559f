const { add } = require('./math.js');
console.log(add(2, 3));
