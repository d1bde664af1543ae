module.exports = {
  configs: {
    recommended: {
      rules: {
        'sending-step-own-job': 'error'
      }
    }
  }
};
